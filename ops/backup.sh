#!/bin/sh
# Back up the portal: the PostgreSQL database (pg_dump, custom format) and the evidence
# files (a tar of EVIDENCE_ROOT), into a new folder under DEST with checksums.
#
#   DATABASE_URL=postgres://user:pass@host:5432/imaportal EVIDENCE_ROOT=/srv/portal/private \
#     ops/backup.sh /backups
#
# prints the folder it wrote, e.g. /backups/imaportal-20261129T023000Z, holding
#   db.dump          pg_dump --format=custom (one consistent snapshot of the database)
#   evidence.tar.gz  every file under EVIDENCE_ROOT (absent when EVIDENCE_ROOT is unset:
#                    S3 users keep evidence in their bucket, with versioning on)
#   SHA256SUMS       checked by ops/restore.sh before it touches anything
#
# The database is dumped first and the files afterwards: a file is stored before the row
# that names it is committed, so every file the dump refers to is in the archive.
# pg_dump must be the server's major version or newer. Restore with ops/restore.sh.
set -eu

usage() { echo "usage: DATABASE_URL=... [EVIDENCE_ROOT=...] $0 DEST_DIR" >&2; exit 2; }
[ $# -eq 1 ] || usage
: "${DATABASE_URL:?set DATABASE_URL (postgres://user:pass@host:port/dbname)}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "DATABASE_URL must be a PostgreSQL URL (postgres://...)" >&2; exit 2 ;;
esac
command -v pg_dump >/dev/null || { echo "pg_dump is missing (apt-get install postgresql-client)" >&2; exit 1; }

dest="$1"
mkdir -p "$dest"
out="$dest/imaportal-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir "$out"  # fails rather than overwrite a backup of the same second
trap 'echo "backup FAILED; $out is incomplete" >&2' EXIT

pg_dump --format=custom --no-owner --no-privileges --file="$out/db.dump" --dbname="$DATABASE_URL"

if [ -n "${EVIDENCE_ROOT:-}" ]; then
  [ -d "$EVIDENCE_ROOT" ] || { echo "EVIDENCE_ROOT $EVIDENCE_ROOT is not a folder" >&2; exit 1; }
  tar -C "$EVIDENCE_ROOT" -czf "$out/evidence.tar.gz" .
fi

(cd "$out" && sha256sum -- * > SHA256SUMS)
trap - EXIT
echo "$out"
