-- Mimicry schema 2: Orleans cluster membership, read and written by Mimicry's own membership table provider.
-- One version row per cluster id; every change to a member row also bumps it (optimistic concurrency: a writer
-- names the etag it read, and loses if someone else wrote first).
CREATE TABLE mimicry_membership_version(
    cluster_id text PRIMARY KEY,
    version    integer NOT NULL,
    etag       integer NOT NULL,
    updated    timestamptz NOT NULL DEFAULT now());

CREATE TABLE mimicry_membership(
    cluster_id    text NOT NULL REFERENCES mimicry_membership_version(cluster_id) ON DELETE CASCADE,
    address       text NOT NULL,
    port          integer NOT NULL,
    generation    integer NOT NULL,
    silo_name     text NOT NULL,
    host_name     text NOT NULL,
    status        integer NOT NULL,
    proxy_port    integer NOT NULL,
    suspect_times text,
    start_time    timestamptz NOT NULL,
    i_am_alive    timestamptz NOT NULL,
    etag          integer NOT NULL,
    PRIMARY KEY(cluster_id, address, port, generation));
