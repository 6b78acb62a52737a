#!/usr/bin/env bash
# Makes sure a Redis server answers on $REDIS_HOST:$REDIS_PORT (default 127.0.0.1:6379): uses the one
# running, else starts one (installing it from Debian's packages if needed). Idempotent.
set -euo pipefail
host="${REDIS_HOST:-127.0.0.1}" port="${REDIS_PORT:-6379}"
ready() { redis-cli -h "$host" -p "$port" ping 2>/dev/null | grep -q PONG; }
if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis.sh: installing Redis from Debian's packages" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
if ! ready; then
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$port" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 40); do ready && break; sleep 0.25; done
fi
ready || { echo "redis.sh: Redis did not come up on $host:$port" >&2; exit 1; }
echo "redis.sh: Redis ready on $host:$port" >&2
