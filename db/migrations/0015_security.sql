-- Security findings of issue 9.
--
-- Sign-in throttling counts failures per (username, address) pair
-- (core/auth.c auth_throttle_wait): the lookup and the clearing after a
-- success both go by the pair, newest first.
ALTER TABLE login_failures
  ADD KEY ix_lf_pair (username, ip, at);
-- Forgetting old failures goes by time alone.
ALTER TABLE login_failures
  ADD KEY ix_lf_at (at);
