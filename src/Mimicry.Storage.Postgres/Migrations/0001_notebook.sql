-- Mimicry schema 1: loops, branches and the append-only notebook (days and their entries).
-- Anchors are kept as ISO-8601 text: timestamptz holds microseconds, and an anchor must round-trip exactly.
CREATE TABLE mimicry_loops(
    loop      text PRIMARY KEY,
    spec      text NOT NULL,
    spec_hash text NOT NULL,
    state     text NOT NULL,
    reason    text,
    created   timestamptz NOT NULL,
    updated   timestamptz NOT NULL);

CREATE TABLE mimicry_branches(
    loop    text NOT NULL,
    branch  integer NOT NULL,
    state   text NOT NULL,
    reason  text,
    updated timestamptz NOT NULL,
    PRIMARY KEY(loop, branch));

CREATE TABLE mimicry_days(
    loop       text NOT NULL,
    branch     integer NOT NULL,
    day        integer NOT NULL,
    anchor     text NOT NULL,
    selection  text NOT NULL,
    candidates integer NOT NULL,
    sessions   integer NOT NULL,
    bits       double precision NOT NULL,
    committed  timestamptz NOT NULL,
    PRIMARY KEY(loop, branch, day));

CREATE TABLE mimicry_entries(
    loop      text NOT NULL,
    branch    integer NOT NULL,
    day       integer NOT NULL,
    seq       integer NOT NULL,
    slot      integer NOT NULL,
    session   text NOT NULL,
    seed      bigint NOT NULL,
    simulator text NOT NULL,
    text      text NOT NULL,
    hash      text NOT NULL,
    PRIMARY KEY(loop, branch, day, seq),
    FOREIGN KEY(loop, branch, day) REFERENCES mimicry_days(loop, branch, day));

-- Notebooks are append-only: an UPDATE or DELETE of a committed day or entry is refused by the database itself.
CREATE FUNCTION mimicry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'notebook % are append-only', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER mimicry_days_append_only BEFORE UPDATE OR DELETE ON mimicry_days
    FOR EACH ROW EXECUTE FUNCTION mimicry_refuse_change('days');
CREATE TRIGGER mimicry_entries_append_only BEFORE UPDATE OR DELETE ON mimicry_entries
    FOR EACH ROW EXECUTE FUNCTION mimicry_refuse_change('entries');
