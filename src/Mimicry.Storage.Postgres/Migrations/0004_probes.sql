-- Mimicry schema 4: calibration probes. The record is kept as JSON; what queries and the compare-and-set need
-- (loop, state, acknowledgement, creation time) is also kept in columns.
CREATE TABLE mimicry_probes(
    id           text PRIMARY KEY,
    loop         text NOT NULL,
    researcher   text NOT NULL,
    calibrator   text NOT NULL,
    state        text NOT NULL,
    acknowledged boolean NOT NULL DEFAULT false,
    created      timestamptz NOT NULL,
    json         text NOT NULL);

CREATE INDEX mimicry_probes_loop ON mimicry_probes(loop, created);
