#!/usr/bin/env bash
# Builds Usher's container image from a locally built release binary, FROM scratch, for machines
# that cannot pull deploy/Dockerfile's base images (no registry access): the same layout as the
# real image (one binary at /usher, a non-root user, the /data volume, the same environment,
# HEALTHCHECK and entry point), with the C libraries the glibc binary links in place of
# distroless/static. Prints the image size, then runs it with a read-only root and no
# capabilities, as compose.yaml does, and waits for Docker to call it healthy.
# Needs a running Docker engine. A measurement: it fails only when the container does not work.
set -euo pipefail
cd "$(dirname "$0")/.."
# USHER_BIN: an already built binary to package instead of building one.
bin="${USHER_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --locked --bin usher
  bin="${CARGO_TARGET_DIR:-target}/release/usher"
fi

context=$(mktemp -d)
name="usher-local-check-$$"
trap 'docker rm -f "$name" >/dev/null 2>&1 || true; rm -rf "$context"' EXIT
mkdir -p "$context/rootfs/etc" "$context/data"
cp "$bin" "$context/usher"
# The dynamic loader and every library the binary links.
for lib in $(ldd "$bin" | awk '/=>/ { print $3 } /ld-linux/ { print $1 }'); do
  cp --parents -L "$lib" "$context/rootfs"
done
printf 'root:x:0:0::/:/sbin/nologin\nnonroot:x:65532:65532::/data:/sbin/nologin\n' >"$context/rootfs/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$context/rootfs/etc/group"

# Everything after the build stage of deploy/Dockerfile, kept in step with it.
sed -n '/^COPY --from=build \/out\/usher/,$p' deploy/Dockerfile |
  sed -e 's|^COPY --from=build /out/usher /usher|COPY rootfs/ /\nCOPY usher /usher|' \
      -e 's|^COPY --from=build --chown=65532:65532 /out/data /data|COPY --chown=65532:65532 data /data|' \
  >"$context/Dockerfile.body"
{ echo "FROM scratch"; cat "$context/Dockerfile.body"; } >"$context/Dockerfile"
docker build -q -t usher:local "$context" >/dev/null
bytes=$(docker image inspect usher:local --format '{{.Size}}')
printf 'image usher:local: %.1f MB (binary %.1f MB)\n' "$(echo "$bytes / 1000000" | bc -l)" \
  "$(echo "$(stat -c %s "$bin") / 1000000" | bc -l)"

docker run -d --name "$name" --read-only --cap-drop ALL --security-opt no-new-privileges:true \
  --tmpfs /tmp -e USHER_SECRET_KEY="local-image-check-secret-key-0123456789" \
  --health-interval 1s usher:local >/dev/null
for _ in $(seq 1 30); do
  health=$(docker inspect "$name" --format '{{.State.Health.Status}}')
  [ "$health" = healthy ] && break
  sleep 1
done
user=$(docker inspect "$name" --format '{{.Config.User}}')
echo "container: $health, user $user, read-only root, no capabilities"
[ "$health" = healthy ] || { docker logs "$name" | tail -20; exit 1; }
