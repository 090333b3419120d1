#!/usr/bin/env bash
# Builds the image with buildah and runs `plan` in it against the emulator with podman.
# No image registry is reachable here, so the base image is made locally: a minimal Debian root
# (debootstrap) with this machine's Node.js 20 and npm copied in (Debian bookworm's own nodejs is 18,
# too old for the AWS SDK), passed to the Dockerfile as NODE_IMAGE.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
STORAGE=(--storage-driver vfs)
BASE=localhost/cis-node-base:bookworm
IMAGE=localhost/cognito-idp-sync:test
need=()
for tool in buildah podman debootstrap runc; do command -v "$tool" >/dev/null || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; fi

work="$(mktemp -d)"
cleanup() {
  podman "${STORAGE[@]}" rm -f cis-emulator >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
t0=$(date +%s)

if ! buildah "${STORAGE[@]}" inspect --type image "$BASE" >/dev/null 2>&1; then
  echo "container-test: building the local base image (debootstrap + this machine's node)"
  debootstrap --variant=minbase --include=ca-certificates,libstdc++6 bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; exit 1; }
  rm -rf "$work/rootfs/var/cache/apt/archives"/*.deb "$work/rootfs/var/lib/apt/lists"/*
  node_bin="$(readlink -f "$(command -v node)")"
  npm_dir="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)"
  mkdir -p "$work/rootfs/usr/local/lib/node_modules"
  cp "$node_bin" "$work/rootfs/usr/local/bin/node"
  cp -r "$npm_dir" "$work/rootfs/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/rootfs/usr/local/bin/npx"
  ctr=$(buildah "${STORAGE[@]}" from scratch)
  buildah "${STORAGE[@]}" copy "$ctr" "$work/rootfs" / >/dev/null
  buildah "${STORAGE[@]}" config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd /bin/bash "$ctr"
  buildah "${STORAGE[@]}" commit -q "$ctr" "$BASE" >/dev/null
  buildah "${STORAGE[@]}" rm "$ctr" >/dev/null
fi
t1=$(date +%s)

echo "container-test: building $IMAGE"
ca=/etc/ssl/certs/ca-certificates.crt
buildah "${STORAGE[@]}" bud --isolation chroot --layers=false -q \
  --build-arg NODE_IMAGE="$BASE" ${ca:+--secret id=npm_ca,src=$ca} \
  -t "$IMAGE" . >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; exit 1; }
t2=$(date +%s)

run=(podman "${STORAGE[@]}" run --rm --runtime runc --network host --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --read-only --user 10001)
out=$("${run[@]}" "$IMAGE" --help)
grep -q "Usage: cognito-idp-sync" <<<"$out" && echo "PASS: --help" || { echo "FAIL: --help"; echo "$out"; exit 1; }

port=$((20000 + RANDOM % 20000))
podman "${STORAGE[@]}" run -d --name cis-emulator --runtime runc --network host --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --read-only --user 10001 \
  "$IMAGE" emulator --port "$port" >/dev/null
for _ in $(seq 1 50); do
  podman "${STORAGE[@]}" logs cis-emulator 2>/dev/null | grep -q "listening on" && break
  sleep 0.2
done
podman "${STORAGE[@]}" logs cis-emulator | grep -q "listening on http://127.0.0.1:$port" && echo "PASS: emulator in a container" || { echo "FAIL: emulator"; podman "${STORAGE[@]}" logs cis-emulator; exit 1; }

set +e
plan=$("${run[@]}" -v "$PWD/config-examples/idps:/config:ro" \
  -e GOOGLE_CLIENT_SECRET=x-google -e FACEBOOK_APP_SECRET=x-facebook -e AMAZON_CLIENT_SECRET=x-amazon \
  -e APPLE_PRIVATE_KEY=x-apple -e CORP_OIDC_CLIENT_SECRET=x-oidc \
  "$IMAGE" plan --config /config --local --detailed-exitcode --log-level warn 2>&1)
code=$?
set -e
if [ "$code" = 2 ] && grep -q "Plan: 6 to create" <<<"$plan"; then echo "PASS: plan --local in a read-only container (exit 2, 6 to create)"; else echo "FAIL: plan (exit $code)"; echo "$plan"; exit 1; fi
set +e
remote=$("${run[@]}" -v "$PWD/config-examples/idps:/config:ro" -e GOOGLE_CLIENT_SECRET=x -e FACEBOOK_APP_SECRET=x -e AMAZON_CLIENT_SECRET=x -e APPLE_PRIVATE_KEY=x -e CORP_OIDC_CLIENT_SECRET=x \
  "$IMAGE" plan --config /config --endpoint "http://127.0.0.1:$port" --log-level warn 2>&1)
code=$?
set -e
# The emulator container has no pools yet: plan reaches it over the network and reports the missing pool.
if [ "$code" = 1 ] && grep -q "user pool us-east-1_Example1 does not exist" <<<"$remote"; then echo "PASS: plan --endpoint reaches the emulator container"; else echo "FAIL: plan --endpoint (exit $code)"; echo "$remote"; exit 1; fi
echo "container-test: base $((t1 - t0))s, image $((t2 - t1))s, total $(( $(date +%s) - t0 ))s"
