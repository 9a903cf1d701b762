package dev.gatehouse.authserver.user;

import java.util.Optional;

/** Looks users up by the subject the tokens carry, or by the email they log in with. */
public interface UserDirectory {

    Optional<UserAccount> findById(String userId);

    Optional<UserAccount> findByEmail(String email);

}
