-- Mimicry schema 6: who may call the API and what they did. Tokens are stored as salted SHA-256 hashes, never
-- as secrets; the audit log is append-only.
CREATE TABLE mimicry_users(
    name text PRIMARY KEY, role text NOT NULL, created timestamptz NOT NULL, created_by text NOT NULL);
CREATE TABLE mimicry_tokens(
    id text PRIMARY KEY, "user" text NOT NULL, label text NOT NULL, salt bytea NOT NULL, hash bytea NOT NULL,
    created timestamptz NOT NULL, expires timestamptz, revoked timestamptz, created_by text NOT NULL);
CREATE INDEX mimicry_tokens_user ON mimicry_tokens("user");
CREATE TABLE mimicry_audit(
    seq bigserial PRIMARY KEY, at timestamptz NOT NULL, "user" text NOT NULL, action text NOT NULL,
    target text NOT NULL, outcome text NOT NULL, detail text, remote text);
CREATE FUNCTION mimicry_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER mimicry_audit_append_only BEFORE UPDATE OR DELETE ON mimicry_audit
    FOR EACH ROW EXECUTE FUNCTION mimicry_audit_append_only();
