#!/usr/bin/env bash
# A local PostgreSQL streaming replica for the read-replica test (as root, Debian's
# postgresql-common). Idempotent: creates cluster 15/balai_replica on port 5433 from
# the primary on 127.0.0.1:5432 with pg_basebackup -R, or just starts it when it
# exists. The primary is not restarted: a missing replication line is appended to
# its pg_hba.conf and the configuration reloaded (pg_reload_conf()).
#
#   bash tools/pg_replica.sh          # prints the replica's URL on its last line
#   BALAI_TEST_REPLICA_URL=postgresql://postgres@127.0.0.1:5433/test  (for the tests)
set -euo pipefail

VERSION="${BALAI_REPLICA_PG_VERSION:-15}"
NAME="${BALAI_REPLICA_CLUSTER:-balai_replica}"
PORT="${BALAI_REPLICA_PORT:-5433}"
PRIMARY_PORT="${BALAI_PRIMARY_PORT:-5432}"
PSQL=(psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -Atqc)

if ! command -v pg_createcluster >/dev/null || ! command -v pg_basebackup >/dev/null; then
    echo "pg_replica: pg_createcluster / pg_basebackup missing (Debian's postgresql-common and postgresql-$VERSION)" >&2
    exit 1
fi

if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$VERSION $NAME"; then
    hba="$("${PSQL[@]}" "SHOW hba_file")"
    if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
        echo "host replication all 127.0.0.1/32 trust  # balai read-replica test" >> "$hba"
        "${PSQL[@]}" "SELECT pg_reload_conf()" >/dev/null
    fi
    pg_createcluster "$VERSION" "$NAME" -p "$PORT" >/dev/null
    datadir="/var/lib/postgresql/$VERSION/$NAME"
    confdir="/etc/postgresql/$VERSION/$NAME"
    rm -rf "${datadir:?}"/*
    runuser -u postgres -- pg_basebackup -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres \
        -D "$datadir" -R -X stream -c fast
    # Trust on loopback like the primary (a test cluster only).
    sed -i '1i host all all 127.0.0.1/32 trust' "$confdir/pg_hba.conf"
    echo "hot_standby_feedback = on" >> "$confdir/postgresql.conf"
fi
status="$(pg_lsclusters -h | awk -v v="$VERSION" -v n="$NAME" '$1==v && $2==n {print $4}')"
case "$status" in
    online*) ;;
    *) pg_ctlcluster "$VERSION" "$NAME" start ;;
esac
for _ in $(seq 1 50); do
    if [ "$(psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atqc 'SELECT pg_is_in_recovery()' 2>/dev/null)" = "t" ]; then
        echo "postgresql://postgres@127.0.0.1:$PORT/test"
        exit 0
    fi
    sleep 0.2
done
echo "pg_replica: cluster $VERSION/$NAME did not come up as a standby on port $PORT" >&2
exit 1
