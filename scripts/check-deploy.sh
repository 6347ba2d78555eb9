#!/usr/bin/env bash
# Checks that the files in deploy/ work as their comments say, as far as this machine allows:
#   - Kubernetes: the Secret (secret.example.yaml, and the `kubectl create secret` line in
#     usher.yaml's header) provides every key the ConfigMap's modes require, and `usher check`
#     accepts the ConfigMap plus that Secret as a configuration;
#   - systemd: `systemd-analyze verify` accepts the unit, whose credentials include the
#     --config file it names;
#   - compose: `docker-compose config` (Compose v1 from PyPI, which needs no docker daemon;
#     installed into a cache folder when missing) accepts the file as its comments use it —
#     the SQLite setup with only USHER_SECRET_KEY in deploy/.env and no POSTGRES_PASSWORD, and
#     the postgres profile — and the SQLite setup needs no POSTGRES_PASSWORD (no `${VAR:?}`);
#   - .dockerignore keeps target/, .git and data out of the build context.
# Usage: scripts/check-deploy.sh [path/to/usher]   (default: this checkout's debug build, built first)
set -euo pipefail
cd "$(dirname "$0")/.."

usher="${1:-}"
if [ -z "$usher" ]; then
  # Always the binary of this checkout: one left in a shared target folder may be older.
  cargo build --locked --bin usher
  usher="${CARGO_TARGET_DIR:-target}/debug/usher"
fi
usher="$(realpath "$usher")"
if ! python3 -c 'import yaml' 2>/dev/null; then
  echo "installing python3-yaml…"
  apt-get update && apt-get install -y python3-yaml
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --- Kubernetes -------------------------------------------------------------------------------
python3 - "$work/k8s.env" <<'PY'
import re, sys, yaml

def docs(path):
    try:
        f = open(path)
    except FileNotFoundError:
        sys.exit(f"{path} is missing: the Secret the Deployment reads must be spelled out")
    with f:
        return [d for d in yaml.safe_load_all(f) if d]

manifests = docs("deploy/kubernetes/usher.yaml")
secret_docs = [d for d in docs("deploy/kubernetes/secret.example.yaml") if d["kind"] == "Secret"]
problems = []
config = next(d for d in manifests if d["kind"] == "ConfigMap")
deployment = next(d for d in manifests if d["kind"] == "Deployment")
secret = secret_docs[0] if secret_docs else None
if not secret or secret["metadata"]["name"] != "usher":
    problems.append("secret.example.yaml must define the Secret `usher`")
secret_keys = set((secret or {}).get("stringData", {}))

# The `kubectl create secret` line in the header must list the same keys.
header = open("deploy/kubernetes/usher.yaml").read().split("\napiVersion", 1)[0]
command_keys = set(re.findall(r"--from-literal=(USHER_[A-Z0-9_]+)=", header))
if command_keys != secret_keys:
    problems.append(f"the kubectl line lists {sorted(command_keys)}, the example secret {sorted(secret_keys)}")

data = {k: str(v) for k, v in config["data"].items()}
env = dict(data)
for key, value in (secret or {}).get("stringData", {}).items():
    if key in env:
        problems.append(f"{key} is in both the ConfigMap and the Secret")
    env[key] = str(value)

def need(condition, keys, why):
    if condition:
        for key in keys:
            if key not in env:
                problems.append(f"{key} is required ({why}) but neither the ConfigMap nor the Secret has it")

need(env.get("USHER_DISCORD_MODE") == "http",
     ["USHER_DISCORD_TOKEN", "USHER_DISCORD_APPLICATION_ID", "USHER_DISCORD_PUBLIC_KEY"],
     "USHER_DISCORD_MODE=http")
need("USHER_TELEGRAM_WEBHOOK_URL" in env, ["USHER_TELEGRAM_TOKEN"], "USHER_TELEGRAM_WEBHOOK_URL is set")
replicas = deployment["spec"].get("replicas", 1)
need(replicas > 1, ["USHER_DATABASE_URL", "USHER_SECRET_KEY"], f"{replicas} replicas share one database and one key")
if replicas > 1 and not env.get("USHER_DATABASE_URL", "").startswith("postgres"):
    problems.append("several replicas need PostgreSQL in USHER_DATABASE_URL")

pod = deployment["spec"]["template"]["spec"]
for container in pod.get("initContainers", []) + pod["containers"]:
    for source in container.get("envFrom", []):
        ref = source.get("configMapRef") or source.get("secretRef")
        kind = "ConfigMap" if "configMapRef" in source else "Secret"
        names = {d["metadata"]["name"] for d in manifests + secret_docs if d["kind"] == kind}
        if ref["name"] not in names:
            problems.append(f"{container['name']} reads the {kind} {ref['name']}, which is not defined")
main = pod["containers"][0]
port = next(p["containerPort"] for p in main["ports"] if p["name"] == "http")
if not env.get("USHER_LISTEN", "").endswith(f":{port}") or not env["USHER_LISTEN"].startswith("0.0.0.0"):
    problems.append(f"USHER_LISTEN must be 0.0.0.0:{port} so the probes reach it")
if main["readinessProbe"]["httpGet"]["path"] != "/readyz":
    problems.append("the readiness probe must ask /readyz")

if problems:
    print("deploy/kubernetes:\n  " + "\n  ".join(problems))
    sys.exit(1)
with open(sys.argv[1], "w") as out:
    for key, value in env.items():
        out.write(f"{key}={value}\n")
print(f"deploy/kubernetes: ok ({len(env)} settings for {replicas} replicas)")
PY

# The same settings through the binary: the configuration must validate ("configuration: ok");
# upstreams point at a closed local port, and the database is not reached from here.
mkdir -p "$work/k8s"
check_env=(env -i PATH="$PATH" HOME="$work/k8s")
while IFS= read -r line; do check_env+=("$line"); done < "$work/k8s.env"
check_env+=(USHER_TELEGRAM_API_URL=http://127.0.0.1:9 USHER_DISCORD_API_URL=http://127.0.0.1:9)
out="$(cd "$work/k8s" && timeout 30 "${check_env[@]}" "$usher" check 2>&1 || true)"
# The ConfigMap asks for JSON logs, so the line may stand inside a JSON object.
if ! grep -q 'configuration: ok' <<<"$out"; then
  echo "deploy/kubernetes: usher check refuses the ConfigMap + Secret:"
  echo "$out" | head -20
  exit 1
fi
echo "deploy/kubernetes: usher check accepts the configuration"

# --- systemd ----------------------------------------------------------------------------------
unit=deploy/systemd/usher.service
config_arg="$(sed -n 's/^ExecStart=.* --config \([^ ]*\).*/\1/p' "$unit")"
case "$config_arg" in
  %d/*)
    name="${config_arg#%d/}"
    grep -q "^LoadCredential=$name:" "$unit" || { echo "$unit: --config $config_arg has no LoadCredential=$name:"; exit 1; }
    ;;
  *)
    echo "$unit: --config $config_arg is read by the dynamic user, which cannot read /etc/usher; pass it as a credential (%d/…)"
    exit 1
    ;;
esac
if command -v systemd-analyze >/dev/null 2>&1; then
  sed "s#/usr/local/bin/usher#$usher#" "$unit" > "$work/usher.service"
  if ! systemd-analyze verify --man=no "$work/usher.service"; then
    echo "$unit: systemd-analyze verify failed"
    exit 1
  fi
  echo "deploy/systemd: ok (systemd-analyze verify)"
else
  echo "deploy/systemd: structure ok; systemd-analyze is not installed, so the unit was not verified"
fi

# --- compose ----------------------------------------------------------------------------------
python3 - <<'PY'
import re, sys, yaml
text = open("deploy/compose.yaml").read()
compose = yaml.safe_load(text)
problems = []
# Compose interpolates the whole file whatever the profile: a required `${VAR:?…}` fails even
# the default (SQLite) setup when VAR is unset.
for var in re.findall(r"\$\{([A-Z0-9_]+):?\?", text):
    problems.append(f"${{{var}:?}} makes {var} required for every profile")
default = [name for name, svc in compose["services"].items() if not svc.get("profiles")]
if default != ["usher"]:
    problems.append(f"the default profile should run only usher, not {default}")
if problems:
    print("deploy/compose.yaml:\n  " + "\n  ".join(problems))
    sys.exit(1)
print("deploy/compose.yaml: ok (the SQLite setup needs no PostgreSQL settings)")
PY

# `docker-compose config` parses, validates against the Compose schema and interpolates the
# file without a docker daemon. Compose v1 is the one on PyPI; its PyYAML 5.4.1 builds only
# with Cython < 3 and without build isolation. Kept in a cache folder between runs.
compose_venv="${XDG_CACHE_HOME:-$HOME/.cache}/usher-compose-venv"
if ! "$compose_venv/bin/docker-compose" version >/dev/null 2>&1; then
  echo "installing docker-compose 1.29.2 (for \`docker-compose config\`) into $compose_venv…"
  rm -rf "$compose_venv"
  python3 -m venv "$compose_venv"
  {
    "$compose_venv/bin/pip" install --quiet "cython<3" wheel setuptools &&
    "$compose_venv/bin/pip" install --quiet --no-build-isolation "pyyaml==5.4.1" &&
    "$compose_venv/bin/pip" install --quiet "docker-compose==1.29.2"
  } || { echo "deploy/compose.yaml: could not install docker-compose"; exit 1; }
fi
# As the header says: secrets in deploy/.env beside the file. A copy in a scratch folder, so an
# operator's own deploy/.env is never read or touched; the shell has no POSTGRES_PASSWORD.
mkdir -p "$work/compose/deploy"
cp deploy/compose.yaml "$work/compose/deploy/compose.yaml"
echo "USHER_SECRET_KEY=$(printf 'k%.0s' $(seq 1 40))" > "$work/compose/deploy/.env"
compose() {
  (cd "$work/compose" && env -u POSTGRES_PASSWORD -u USHER_DATABASE_URL -u USHER_PUBLIC_URL \
    "$compose_venv/bin/docker-compose" -f deploy/compose.yaml "$@")
}
if ! out="$(compose config 2>&1)"; then
  echo "deploy/compose.yaml: docker-compose config refuses the SQLite setup (deploy/.env with only USHER_SECRET_KEY):"
  echo "$out"
  exit 1
fi
if ! out="$(compose --profile postgres config --quiet 2>&1)"; then
  echo "deploy/compose.yaml: docker-compose config refuses the postgres profile:"
  echo "$out"
  exit 1
fi
echo "deploy/compose.yaml: ok (docker-compose config, SQLite setup without POSTGRES_PASSWORD and the postgres profile)"

# --- .dockerignore ----------------------------------------------------------------------------
for pattern in target .git data; do
  if ! grep -Eq "^(\*\*/)?/?$pattern/?$" .dockerignore 2>/dev/null; then
    echo ".dockerignore must leave out $pattern"
    exit 1
  fi
done
echo ".dockerignore: ok"
