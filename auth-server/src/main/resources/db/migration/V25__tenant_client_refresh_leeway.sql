-- Auth0's refresh_token.leeway (reuse interval, seconds). The refresh-token columns now always hold the policy with
-- its defaults applied (rotation, lifetimes; NULL lifetime = never expires), never NULL for "not given".
ALTER TABLE tenant_client ADD COLUMN rt_leeway bigint DEFAULT 0 NOT NULL;
