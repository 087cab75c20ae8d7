-- Mimicry schema 7: the drift test reads only the probe scores that changed since its last look, not every probe
-- (with its notebook) of the loop. Branch, day and score become columns; score_txid is the transaction that last
-- changed a score or its acknowledgement, so a reader can resume after a snapshot's xmin without missing a row.
ALTER TABLE mimicry_probes
    ADD COLUMN branch     integer NOT NULL DEFAULT 0,
    ADD COLUMN day        integer NOT NULL DEFAULT 0,
    ADD COLUMN score      double precision,
    ADD COLUMN score_txid bigint NOT NULL DEFAULT 0;

UPDATE mimicry_probes SET
    branch = (json::jsonb ->> 'branch')::integer,
    day    = (json::jsonb ->> 'day')::integer,
    score  = (json::jsonb ->> 'score')::double precision;

CREATE INDEX mimicry_probes_scores ON mimicry_probes(loop, score_txid) WHERE score IS NOT NULL;
