// Passkeys on Gatehouse's pages: sign in (button and browser autofill), add a passkey, use one as second factor.
// It speaks to Spring Security's WebAuthn endpoints; the pages mark what they offer with data- attributes, so this
// file needs no inline script (the pages' Content-Security-Policy allows none).
(() => {
  'use strict';

  const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content;
  const headers = () => ({ 'Content-Type': 'application/json', [meta('_csrf_header')]: meta('_csrf') });

  const toBase64Url = (buffer) =>
    btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const fromBase64Url = (value) => {
    const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer;
  };

  let ceremony = null;
  const newSignal = () => {
    if (ceremony) {
      ceremony.abort('A new passkey ceremony started');
    }
    ceremony = new AbortController();
    return ceremony.signal;
  };

  const showError = (message) => {
    const box = document.querySelector('[data-passkey-error]');
    if (box) {
      box.textContent = message;
      box.hidden = false;
    }
  };

  // The page's session ended while it stood open (the server answers session_expired): no retry can succeed.
  class PageExpired extends Error {}

  async function post(url, body) {
    const response = await fetch(url, { method: 'POST', headers: headers(), body: body ? JSON.stringify(body) : undefined });
    if (!response.ok) {
      const error = await response.json().catch(() => null);
      if (error && error.error === 'session_expired') {
        throw new PageExpired(error.error_description);
      }
      throw new Error(`HTTP ${response.status}`);
    }
    return response.json();
  }

  async function signIn(conditional) {
    const options = await post('/webauthn/authenticate/options');
    const publicKey = {
      ...options,
      challenge: fromBase64Url(options.challenge),
      allowCredentials: (options.allowCredentials || []).map((c) => ({ ...c, id: fromBase64Url(c.id) })),
    };
    const request = { publicKey, signal: newSignal() };
    if (conditional) {
      request.mediation = 'conditional';
    }
    const credential = await navigator.credentials.get(request);
    const response = credential.response;
    const result = await post('/login/webauthn', {
      id: credential.id,
      rawId: toBase64Url(credential.rawId),
      type: credential.type,
      response: {
        authenticatorData: toBase64Url(response.authenticatorData),
        clientDataJSON: toBase64Url(response.clientDataJSON),
        signature: toBase64Url(response.signature),
        userHandle: response.userHandle ? toBase64Url(response.userHandle) : undefined,
      },
      clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment,
    });
    return result.redirectUrl;
  }

  async function register(label) {
    const options = await post('/webauthn/register/options');
    const publicKey = {
      ...options,
      challenge: fromBase64Url(options.challenge),
      user: { ...options.user, id: fromBase64Url(options.user.id) },
      excludeCredentials: (options.excludeCredentials || []).map((c) => ({ ...c, id: fromBase64Url(c.id) })),
    };
    const credential = await navigator.credentials.create({ publicKey, signal: newSignal() });
    const response = credential.response;
    await post('/webauthn/register', {
      publicKey: {
        label,
        credential: {
          id: credential.id,
          rawId: toBase64Url(credential.rawId),
          type: credential.type,
          response: {
            attestationObject: toBase64Url(response.attestationObject),
            clientDataJSON: toBase64Url(response.clientDataJSON),
            transports: response.getTransports ? response.getTransports() : [],
          },
          clientExtensionResults: credential.getClientExtensionResults(),
          authenticatorAttachment: credential.authenticatorAttachment,
        },
      },
    });
  }

  const supported = () => !!window.PublicKeyCredential;

  // "Sign in with a passkey", and the same button as second factor on the MFA page.
  document.querySelectorAll('[data-passkey-login]').forEach((button) => {
    if (!supported()) {
      button.disabled = true;
      return;
    }
    button.addEventListener('click', async () => {
      try {
        window.location.assign(await signIn(false));
      } catch (err) {
        showError(err instanceof PageExpired ? err.message
          : button.dataset.passkeyFailure || 'Your passkey was not accepted. Try again or use another way.');
      }
    });
  });

  // Passkey autofill: the email field offers the user's passkeys (conditional UI).
  if (document.querySelector('[data-passkey-autofill]') && supported()
      && PublicKeyCredential.isConditionalMediationAvailable) {
    PublicKeyCredential.isConditionalMediationAvailable().then((available) => {
      if (available) {
        signIn(true).then((url) => window.location.assign(url)).catch((err) => {
          // Cancelled by a button ceremony, or dismissed: the form still works. An expired page does not.
          if (err instanceof PageExpired) {
            showError(err.message);
          }
        });
      }
    });
  }

  // Tells the server whether this browser can keep a passkey, so the offer to add one is made only where it can.
  document.querySelectorAll('[data-passkey-capable]').forEach((field) => {
    if (supported() && PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable) {
      PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable()
        .then((available) => { field.value = available ? 'true' : 'false'; })
        .catch(() => { field.value = 'false'; });
    }
  });

  // "Add a passkey": registers, then (second-factor enrollment) signs in with it, or goes on.
  document.querySelectorAll('[data-passkey-register]').forEach((button) => {
    if (!supported()) {
      button.disabled = true;
      return;
    }
    button.addEventListener('click', async () => {
      const labelField = document.querySelector('[data-passkey-label]');
      const label = (labelField && labelField.value.trim()) || button.dataset.passkeyDefaultLabel || 'Passkey';
      try {
        await register(label);
        if (button.dataset.passkeyThenSignIn !== undefined) {
          window.location.assign(await signIn(false));
        } else {
          window.location.assign(button.dataset.passkeyContinue || window.location.href);
        }
      } catch (err) {
        showError('The passkey was not added. Try again, or continue without one.');
      }
    });
  });
})();
