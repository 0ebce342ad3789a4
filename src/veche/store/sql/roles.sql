-- PostgreSQL roles for a veche store: raw text and contacts only for the roles allowed to see them.
--
-- Run it as a superuser (or a role with CREATEROLE that owns the veche tables) once the first
-- `veche ingest` has created the tables, and again after every veche upgrade (new tables get
-- their grants here, never by default):
--     psql "postgresql://admin@host/veche" -v ON_ERROR_STOP=1 -f roles.sql
-- It can be run any number of times.
--
-- Two group roles; people and services log in with their own roles, members of one of them:
--   veche_private  the operator: ingest, dedup (it counts distinct senders), raw exports.
--                  Owns question_private (raw text, name, phone, e-mail) and raw_access_log.
--                      GRANT veche_private TO operator_login;
--   veche_analyst  analysts and the web app's analyst views: analyze, report, stats, masked
--                  exports. Reads the masked tables, writes the analysis tables, and has no
--                  privilege at all on the two private ones: no query of theirs reads raw text.
--                      GRANT veche_analyst TO alice;

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'veche_private') THEN
        CREATE ROLE veche_private NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'veche_analyst') THEN
        CREATE ROLE veche_analyst NOLOGIN;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO veche_private, veche_analyst;

-- the operator: everything (and ownership of the private tables, so that later migrations
-- run by a member of veche_private may alter them)
ALTER TABLE question_private OWNER TO veche_private;
ALTER TABLE raw_access_log OWNER TO veche_private;
GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO veche_private;
GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA public TO veche_private;

-- analysts: read what is masked, write what analyze finds
GRANT SELECT ON ALL TABLES IN SCHEMA public TO veche_analyst;
GRANT INSERT, UPDATE, DELETE ON analysis_runs, analysis, themes, shortlists TO veche_analyst;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO veche_analyst;

-- and nothing on the private tables, for analysts or anyone else not granted them
REVOKE ALL ON question_private, raw_access_log FROM PUBLIC, veche_analyst;
REVOKE ALL ON SEQUENCE raw_access_log_id_seq FROM PUBLIC, veche_analyst;
