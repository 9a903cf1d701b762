import { Routes } from '@angular/router';
import { authGuardFn } from '@auth0/auth0-angular';

/**
 * Every page is loaded lazily. Profile and External API are guarded: `authGuardFn` sends a logged-out visitor to
 * the login page and, after login, back to the page they asked for.
 *
 * @param errorPath where the SDK sends the browser when a login callback fails (config.json `errorPath`)
 */
export function appRoutes(errorPath: string): Routes {
  return [
    {
      path: '',
      pathMatch: 'full',
      title: 'Home · Gatehouse',
      loadComponent: () => import('./features/home/home'),
    },
    {
      path: 'profile',
      title: 'Profile · Gatehouse',
      canActivate: [authGuardFn],
      loadComponent: () => import('./features/profile/profile'),
    },
    {
      path: 'external-api',
      title: 'External API · Gatehouse',
      canActivate: [authGuardFn],
      loadComponent: () => import('./features/external-api/external-api'),
    },
    {
      path: errorPath.replace(/^\/+/, ''),
      title: 'Error · Gatehouse',
      loadComponent: () => import('./features/error/error-page'),
    },
    { path: '**', redirectTo: '' },
  ];
}
