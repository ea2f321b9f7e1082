#!/bin/sh
# Restore a backup written by ops/backup.sh into an EMPTY database (create it first, e.g.
# `createdb imaportal_restored`) and the evidence files into EVIDENCE_ROOT.
#
#   DATABASE_URL=postgres://user:pass@host:5432/imaportal_restored \
#   EVIDENCE_ROOT=/srv/portal/private ops/restore.sh /backups/imaportal-20261129T023000Z
#
# It checks the checksums first, refuses a database that already has tables (so a restore
# never mixes with live data), restores in one transaction (all or nothing) and unpacks the
# evidence files without overwriting any that exist. Then point the portal's DATABASE_URL
# at the restored database and run `python manage.py migrate` (a no-op for a dump of the
# same release).
set -eu

usage() { echo "usage: DATABASE_URL=... [EVIDENCE_ROOT=...] $0 BACKUP_DIR" >&2; exit 2; }
[ $# -eq 1 ] || usage
: "${DATABASE_URL:?set DATABASE_URL to the empty database to restore into}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "DATABASE_URL must be a PostgreSQL URL (postgres://...)" >&2; exit 2 ;;
esac
for tool in pg_restore psql; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install postgresql-client)" >&2; exit 1; }
done

src="$1"
[ -f "$src/db.dump" ] && [ -f "$src/SHA256SUMS" ] || { echo "$src is not a backup (no db.dump, SHA256SUMS)" >&2; exit 1; }
(cd "$src" && sha256sum --check --quiet SHA256SUMS) || { echo "checksums do not match: $src is damaged" >&2; exit 1; }

tables=$(psql --dbname="$DATABASE_URL" --no-psqlrc --tuples-only --no-align --command \
  "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
if [ "$tables" != "0" ]; then
  echo "the target database already has $tables tables: restore into a new, empty database" >&2
  exit 1
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$src/db.dump"
echo "database restored"

if [ -f "$src/evidence.tar.gz" ]; then
  : "${EVIDENCE_ROOT:?the backup has evidence files: set EVIDENCE_ROOT to unpack them}"
  mkdir -p "$EVIDENCE_ROOT"
  tar -C "$EVIDENCE_ROOT" --keep-old-files -xzf "$src/evidence.tar.gz"
  echo "evidence files restored into $EVIDENCE_ROOT"
fi
