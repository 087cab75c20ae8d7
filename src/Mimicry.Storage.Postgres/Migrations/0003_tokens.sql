-- Mimicry schema 3: what a model billed. A day holds the tokens of all its sessions (chosen or not) and their
-- cost from the spec's price table; an entry holds the tokens of the session that wrote it.
ALTER TABLE mimicry_days ADD COLUMN input_tokens bigint NOT NULL DEFAULT 0;
ALTER TABLE mimicry_days ADD COLUMN output_tokens bigint NOT NULL DEFAULT 0;
ALTER TABLE mimicry_days ADD COLUMN cost double precision NOT NULL DEFAULT 0;
ALTER TABLE mimicry_entries ADD COLUMN input_tokens integer NOT NULL DEFAULT 0;
ALTER TABLE mimicry_entries ADD COLUMN output_tokens integer NOT NULL DEFAULT 0;
