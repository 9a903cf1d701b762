-- Takes two seconds: longer than the test's one-second read timeout.
SELECT pg_sleep(2);
