# Sourced by environment/tests/hosted-image.sh and teaching-lab.sh: the Binder-like image's layers, built from
# Debian's mirror and cached, and a way into them. podman cannot run containers in this sandbox (crun is refused
# setrlimit), so an image is a folder entered with chroot, in its own mount and PID namespaces (docs/hosting.md).
# Needs root. Set before sourcing: cache (folder of the layers), mirror (Debian's), logs (folder of build logs).

user_home=/home/jovyan

# in_root ROOT UID:GID COMMAND...: COMMAND in ROOT with its own mount and PID namespaces (/proc, /dev, a fresh
# /tmp), the environment emptied but for PATH, HOME, USER and LANG. The network is the machine's (builds fetch).
in_root() {
  local r="$1" u="$2"; shift 2
  local home=/root user=root
  if [[ $u != 0:0 ]]; then
    user="$(awk -F: -v uid="${u%%:*}" '$3 == uid { print $1 }' "$r/etc/passwd")"
    home="$(awk -F: -v uid="${u%%:*}" '$3 == uid { print $6 }' "$r/etc/passwd")"
  fi
  unshare --mount --pid --fork --kill-child --propagation private /bin/bash -c '
    r=$1 u=$2 home=$3 user=$4; shift 4
    mount -t proc proc "$r/proc" && mount --rbind /dev "$r/dev" && mount -t tmpfs -o mode=1777 tmpfs "$r/tmp"
    exec chroot --userspec="$u" "$r" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
      HOME="$home" USER="$user" LANG=C.UTF-8 "$@"' in_root "$r" "$u" "$home" "$user" "$@"
}

# layer NAME PARENT COMMAND: the cached layer $cache/NAME, made (once) as a copy of PARENT with COMMAND run in it
# as root; prints its folder. A layer is complete or absent: it is built in NAME.partial and moved into place.
layer() {
  local name="$1" parent="$2" cmd="$3" dir="$cache/$1"
  if [[ ! -f $dir/.complete ]]; then
    rm -rf "$dir.partial"; cp -a "$parent" "$dir.partial"
    cp /etc/resolv.conf "$dir.partial/etc/resolv.conf"
    in_root "$dir.partial" 0:0 /bin/bash -c "$cmd" >"$logs/$name.log" 2>&1 \
      || { echo "[image] building layer $name failed:" >&2; tail -5 "$logs/$name.log" >&2; return 1; }
    touch "$dir.partial/.complete"; mv "$dir.partial" "$dir"
  fi
  echo "$dir"
}

# base_layer: Debian 12 minbase from the mirror, with what repo2docker's base image brings (Python, the classic
# Notebook server, jupyter-client, nbconvert and nbclient, git) and the user jovyan, uid 1000.
base_layer() {
  local dir="$cache/base-bookworm-v2"
  if [[ ! -f $dir/.complete ]]; then
    command -v debootstrap >/dev/null \
      || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
    rm -rf "$dir.debootstrap"; mkdir -p "$cache"
    debootstrap --variant=minbase bookworm "$dir.debootstrap" "$mirror" >"$logs/debootstrap.log" 2>&1 \
      || { echo "[image] debootstrap failed:" >&2; tail -5 "$logs/debootstrap.log" >&2; return 1; }
    layer base-bookworm-v2 "$dir.debootstrap" 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends ca-certificates git python3 jupyter-notebook jupyter-client jupyter-nbconvert python3-nbclient \
      >/dev/null && apt-get clean && useradd --create-home --uid 1000 --shell /bin/bash jovyan' >/dev/null || return 1
    rm -rf "$dir.debootstrap"
  fi
  echo "$dir"
}

# apt_layer APT_TXT: the base layer with APT_TXT's packages installed as root, as repo2docker does.
apt_layer() {
  local base; base="$(base_layer)" || return 1
  local pkgs; pkgs="$(grep -v '^#' "$1" | xargs)"
  layer "apt-$(sha256sum "$1" | cut -c1-12)" "$base" "apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends $pkgs >/dev/null && apt-get clean"
}

# copy_checkout FROM TO: the files of the checkout FROM that git tracks or does not ignore, copied into TO.
copy_checkout() {
  mkdir -p "$2"
  (cd "$1" && git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) \
    | tar -xf - -C "$2"
}
