#!/usr/bin/env bash
# The instructor's one command for a teaching lab on one machine (docs/hosting.md), as root:
#   environment/lab/setup-lab.sh --results DIR [--students N] [--prefix /opt/calf-kit] [--port 8000] [--start]
# 1. Debian's jupyterhub (3.0, with its configurable-http-proxy) and the packages a session needs (binder/apt.txt).
# 2. One shared, read-only install of the kit: this checkout's files copied to PREFIX (root's, not writable by
#    students), built there, the "calf-java" kernel registered for every user (/usr/local/share/jupyter/kernels).
# 3. The instructor's precomputed results (a main job's folder, DIR) copied read-only to /srv/calf-results.
# 4. N student accounts, student1 … studentN (system users with a home each; passwords, random, in
#    /root/calf-lab-passwords.txt, mode 600; they log in with them through PAM).
# 5. /etc/calf-lab/jupyterhub_config.py: the hub on 127.0.0.1:PORT (put a TLS proxy in front for a real room),
#    the local process spawner starting each student's server through PREFIX/environment/lab/student-session
#    (their own notebooks and results folder on first start) at the scale of the results, and an admin API token for the instructor in /root/calf-lab-token.txt.
# --start runs the hub in the foreground at the end; otherwise the command to start it is printed.
# Running it again keeps what is there (accounts, passwords, students' homes) and updates the install.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
checkout="$(cd "$here/../.." && pwd)"
students=8 prefix=/opt/calf-kit port=8000 results="" start=0
while (($#)); do
  case "$1" in
    --students) students="${2:?}"; shift 2 ;;
    --prefix) prefix="${2:?}"; shift 2 ;;
    --port) port="${2:?}"; shift 2 ;;
    --results) results="$(cd "${2:?}" && pwd)"; shift 2 ;;
    --start) start=1; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "setup-lab.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ $(id -u) == 0 ]] || { echo "setup-lab.sh: run it as root (it creates accounts and a shared install)" >&2; exit 1; }
[[ $students =~ ^[0-9]+$ ]] && ((students >= 1 && students <= 200)) \
  || { echo "setup-lab.sh: --students must be a whole number from 1 to 200, got '$students'" >&2; exit 2; }
[[ $port =~ ^[0-9]+$ ]] && ((port >= 1024 && port <= 65535)) \
  || { echo "setup-lab.sh: --port must be a port from 1024 to 65535, got '$port'" >&2; exit 2; }
[[ -n $results ]] || { echo "setup-lab.sh: --results DIR (a main job's results folder) is required" >&2; exit 2; }
ls "$results"/*.grid.csv >/dev/null 2>&1 \
  || { echo "setup-lab.sh: '$results' holds no grid (*.grid.csv): expected a folder environment/main-job.sh wrote" >&2; exit 2; }
log() { printf '[lab] %s\n' "$*"; }
# The scale the results were made at (their grids say it): the students' notebooks run at the same one.
scale="$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "scale") c = i } NR == 2 && c { print $c; exit }' \
  "$(ls "$results"/*.grid.csv | head -1)")"
[[ $scale =~ ^(smoke|quick|full)$ ]] || { echo "setup-lab.sh: cannot tell the scale of '$results' from its grid files" >&2; exit 2; }

# 1. packages: the hub, Jupyter's notebook server and kernel tools, and what a session needs (the hosted image's
#    apt.txt); not the Python peers of the kit's tests and benchmarks.
packages=(jupyterhub jupyter-notebook jupyter-client jupyter-nbconvert python3-nbclient $(grep -v '^#' "$checkout/environment/binder/apt.txt"))
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. the shared install
if [[ $checkout != "$prefix" ]]; then
  log "installing the kit into $prefix"
  mkdir -p "$prefix"
  if git -C "$checkout" rev-parse --git-dir >/dev/null 2>&1; then   # what git tracks or does not ignore
    (cd "$checkout" && git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) \
      | tar -xf - -C "$prefix"
  else                                                             # an unpacked release: all but builds and results
    (cd "$checkout" && tar --exclude=./results --exclude='*/target' --exclude='*/node_modules' -cf - .) | tar -xf - -C "$prefix"
  fi
fi
(cd "$prefix" && environment/setup.sh --no-apt --shared)
chown -R root:root "$prefix"; chmod -R go-w "$prefix"

# 3. the precomputed results, read-only
log "copying the precomputed results to /srv/calf-results (read-only)"
rm -rf /srv/calf-results.partial; mkdir -p /srv
cp -r "$results" /srv/calf-results.partial
chown -R root:root /srv/calf-results.partial; chmod -R a-w,a+rX /srv/calf-results.partial
rm -rf /srv/calf-results; mv /srv/calf-results.partial /srv/calf-results

# 4. accounts
touch /root/calf-lab-passwords.txt; chmod 600 /root/calf-lab-passwords.txt
for i in $(seq 1 "$students"); do
  u="student$i"
  if ! id "$u" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/bash "$u"
    pw="$(head -c 12 /dev/urandom | base64 | tr -d '/+=' | head -c 12)"
    echo "$u:$pw" | chpasswd
    echo "$u $pw" >>/root/calf-lab-passwords.txt
  fi
  chmod 700 "/home/$u"
done

# 5. the hub's configuration and the instructor's token
mkdir -p /etc/calf-lab /var/lib/calf-lab
[[ -s /root/calf-lab-token.txt ]] || { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >/root/calf-lab-token.txt; }
chmod 600 /root/calf-lab-token.txt
cat >/etc/calf-lab/jupyterhub_config.py <<PY
# Written by environment/lab/setup-lab.sh: the CALF Kit teaching lab on one machine.
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = $port
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.db_url = "sqlite:////var/lib/calf-lab/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "/var/lib/calf-lab/jupyterhub_cookie_secret"
c.ConfigurableHTTPProxy.pid_file = "/var/lib/calf-lab/jupyterhub-proxy.pid"
c.Authenticator.allowed_users = {$(for i in $(seq 1 "$students"); do printf '"student%s", ' "$i"; done)}
c.Authenticator.admin_users = set()
c.JupyterHub.spawner_class = "localprocess"
# Each student's server on a port of their own, below Linux's ephemeral range (32768 and up) where kernels draw
# theirs: the spawner's random free port is only free until a server binds it, and two students starting at once were
# given the same one (seen in the lab test: "The port 53725 is already in use", "Spawner failed to start [status=1]").
def _own_port(spawner):
    import pwd
    spawner.port = 20000 + pwd.getpwnam(spawner.user.name).pw_uid
c.Spawner.pre_spawn_hook = _own_port
c.Spawner.cmd = ["$prefix/environment/lab/student-session", "jupyterhub-singleuser"]
c.Spawner.default_url = "/tree/notebooks"
c.Spawner.notebook_dir = "~"
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120
c.Spawner.environment = {"CALF_LAB_RESULTS": "/srv/calf-results", "CALF_SCALE": "$scale", "ONEDNN_MAX_CPU_ISA": "AVX2"}
c.JupyterHub.load_roles = [{"name": "instructor", "scopes": ["admin:users", "admin:servers", "access:servers", "read:users"],
                            "services": ["instructor"]}]
c.JupyterHub.services = [{"name": "instructor", "api_token": open("/root/calf-lab-token.txt").read().strip()}]
PY
log "lab ready: $students students, kit in $prefix (read-only), results in /srv/calf-results, hub on 127.0.0.1:$port"
log "passwords: /root/calf-lab-passwords.txt; instructor's API token: /root/calf-lab-token.txt"
cmd=(jupyterhub -f /etc/calf-lab/jupyterhub_config.py)
if ((start)); then cd /var/lib/calf-lab && exec "${cmd[@]}"; fi
log "start it with: cd /var/lib/calf-lab && ${cmd[*]}"
