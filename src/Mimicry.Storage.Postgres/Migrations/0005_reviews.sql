-- Mimicry schema 5: review gates and quarantine. Days held for a person; the record is kept as JSON, what queries
-- and the compare-and-set need (loop, branch, day, attempt, state, creation time) also as columns.
CREATE TABLE mimicry_reviews(
    id      text PRIMARY KEY,
    loop    text NOT NULL,
    branch  integer NOT NULL,
    day     integer NOT NULL,
    attempt integer NOT NULL,
    state   text NOT NULL,
    created timestamptz NOT NULL,
    json    text NOT NULL);

CREATE INDEX mimicry_reviews_loop ON mimicry_reviews(loop, created);
CREATE INDEX mimicry_reviews_branch ON mimicry_reviews(loop, branch, day, attempt);
