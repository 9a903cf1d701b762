-- Attempts being checked are counted apart from settled failures, so a block follows failures only and parallel
-- right sign-ins wait for each other instead of blocking the pair. in_flight_until is when the newest of them
-- started plus a bound: attempts still unsettled after it (an instance stopped mid-check) count as failures.
ALTER TABLE login_throttle ADD COLUMN in_flight integer NOT NULL DEFAULT 0;
ALTER TABLE login_throttle ADD COLUMN in_flight_until timestamp with time zone DEFAULT NULL;
