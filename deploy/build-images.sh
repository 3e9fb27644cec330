#!/usr/bin/env bash
# Builds Shoal's container images with podman, offline: no image registry is needed.
#
#   deploy/build-images.sh                 # the base (when its recipe changed) and every image, tag "dev"
#   deploy/build-images.sh --tag run42     # the same images under another tag (the tests use one per run)
#   deploy/build-images.sh --only greeter  # one image (repeat --only for more)
#   deploy/build-images.sh --base mcr.microsoft.com/dotnet/runtime-deps:10.0   # a registry's base instead of ours
#   deploy/build-images.sh --base-only     # only the base; prints its name
#   deploy/build-images.sh --list          # the image names, one a line
#
# The base is a Debian bookworm tree of only the shared libraries a self-contained .NET app loads
# (mmdebstrap from the machine's own package sources, imported with podman import), tagged with a
# hash of its recipe so it is built again only when the recipe changes. Each app is published
# self-contained on the host (dotnet publish -r linux-x64) into artifacts/publish/<name>, and
# deploy/Dockerfile copies it onto the base (the shop image: its four programs in one folder).
# Every image runs as uid 1654 (the "app" user of Microsoft's runtime-deps images too). podman
# reads deploy/podman/containers.conf unless CONTAINERS_CONF names another file. Ends with one line
# per image: name, size, build seconds.
set -euo pipefail

# The images: a name, then the .NET project(s) published into it. A service is one more line here;
# every project path the container scripts and tests use is in this table. An image of one project
# runs it (entry point /app/entrypoint); an image of several holds them all in one folder, so the
# runtime and the assemblies they share are stored once, and the command names the program to run
# (each one is on PATH by its short name: "orders" for Shop.Orders).
IMAGES=(
  "greeter samples/Greeter/Greeter.Server"
  "shoal src/Shoal.Cli"
  "shop samples/Shop/Shop.Orders samples/Shop/Shop.Inventory samples/Shop/Shop.Payment samples/Shop/Shop.Shipping"
)

root=$(cd "$(dirname "$0")/.." && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/deploy/podman/containers.conf}
prefix=${SHOAL_IMAGE_PREFIX:-localhost/shoal}
tag=dev
base=""
base_only=0
only=()

usage() {
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
}

fail() {
  echo "build-images: $*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case "$1" in
    --tag) [ $# -ge 2 ] || fail "--tag needs a value"; tag=$2; shift 2 ;;
    --only) [ $# -ge 2 ] || fail "--only needs an image name"; only+=("$2"); shift 2 ;;
    --base) [ $# -ge 2 ] || fail "--base needs an image name"; base=$2; shift 2 ;;
    --base-only) base_only=1; shift ;;
    --list) for entry in "${IMAGES[@]}"; do echo "$prefix/${entry%% *}"; done; exit 0 ;;
    -h|--help) usage; exit 0 ;;
    *) usage; fail "unknown argument '$1'" ;;
  esac
done
[[ $tag =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || fail "'$tag' is not a valid image tag"
for name in "${only[@]}"; do
  printf '%s\n' "${IMAGES[@]}" | grep -q "^$name " || fail "no image named '$name' (see --list)"
done

command -v podman >/dev/null || fail "podman is missing; install it with: apt-get install -y podman runc mmdebstrap (scripts/install-test-deps.sh does)"
# Scratch space (the base's tree, ignore files), removed however the script ends.
work=$(mktemp -d /tmp/shoal-images.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The base recipe. Everything that decides the base's content is in this function and the two
# variables below it, and their text is hashed into the base's tag.
base_packages="libc6,libgcc-s1,libstdc++6,libssl3,ca-certificates"
base_suite=bookworm
make_base_tree() {
  local tree=$1
  # ca-certificates' maintainer script never runs in an extracted tree: build its bundle here.
  mkdir -p "$tree/etc/ssl/certs"
  find "$tree/usr/share/ca-certificates" -name '*.crt' -print0 | sort -z | xargs -0 cat > "$tree/etc/ssl/certs/ca-certificates.crt"
  # Keep the libraries and the certificates; drop the package tools, scripts and documentation
  # that came with them (no shell, no perl, no dpkg) and glibc's iconv modules (invariant globalization).
  rm -rf "$tree"/usr/bin "$tree"/usr/sbin "$tree"/usr/share/{doc,man,info,locale,lintian,perl5,debconf,bash-completion,pixmaps,gdb,gcc,ca-certificates} \
    "$tree"/usr/lib/x86_64-linux-gnu/{gconv,perl-base,perl} "$tree"/usr/lib/ssl/misc "$tree"/var/lib/dpkg "$tree"/var/lib/apt "$tree"/var/cache \
    "$tree"/var/log "$tree"/etc/{apt,dpkg,debconf.conf,perl,ld.so.conf.d}
  mkdir -p "$tree/tmp" "$tree/home/app" "$tree/var/tmp" "$tree/usr/bin" "$tree/usr/sbin"
  chmod 1777 "$tree/tmp" "$tree/var/tmp"
  chown 1654:1654 "$tree/home/app"
  printf 'root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:1654:1654:app:/home/app:/usr/sbin/nologin\n' > "$tree/etc/passwd"
  printf 'root:x:0:\napp:x:1654:\n' > "$tree/etc/group"
  # /etc/hosts first: a container finds its own name there before asking DNS.
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$tree/etc/nsswitch.conf"
  printf 'PRETTY_NAME="Shoal base (Debian %s libraries)"\nID=debian\nVERSION_CODENAME=%s\n' "$base_suite" "$base_suite" > "$tree/etc/os-release"
}

base_image() {
  local hash
  hash=$( { declare -f make_base_tree; echo "$base_packages $base_suite"; } | sha256sum | cut -c1-12)
  echo "$prefix/base:$hash"
}

build_base() {
  local image=$1 started
  if podman image exists "$image"; then
    echo "build-images: base $image is cached" >&2
    return
  fi
  command -v mmdebstrap >/dev/null || fail "mmdebstrap is missing; install it with: apt-get install -y mmdebstrap"
  started=$(date +%s.%N)
  echo "build-images: making base $image from Debian $base_suite ($base_packages)" >&2
  if ! mmdebstrap --variant=extract --include="$base_packages" --format=directory \
      "$base_suite" "$work/tree" >"$work/mmdebstrap.log" 2>&1; then
    tail -20 "$work/mmdebstrap.log" >&2
    fail "mmdebstrap failed (Debian's package sources must be reachable)"
  fi
  make_base_tree "$work/tree"
  tar --numeric-owner -C "$work/tree" -cf "$work/base.tar" .
  podman import --quiet --change 'USER=1654:1654' --message "Shoal base: $base_packages from Debian $base_suite" \
    "$work/base.tar" "$image" >/dev/null
  podman tag "$image" "$prefix/base:latest"
  echo "build-images: base $image $(image_size "$image") ($(elapsed "$started") s)" >&2
}

image_size() {
  podman image inspect --format '{{.Size}}' "$1" | awk '{ printf "%.1f MB", $1 / 1000000 }'
}

elapsed() {
  echo "$(date +%s.%N) $1" | awk '{ printf "%.1f", $1 - $2 }'
}

publish_one() {
  local name=$1 project=$2 out=$3
  if ! dotnet publish "$root/$project" -c Release -r linux-x64 --self-contained -o "$out" -nologo -v quiet \
      >>"$root/artifacts/publish/$name.log" 2>&1; then
    tail -30 "$root/artifacts/publish/$name.log" >&2
    fail "dotnet publish $project failed"
  fi
}

# Publishes an image's projects into artifacts/publish/<name>; prints the Dockerfile stage to build.
publish() {
  local name=$1 out="$root/artifacts/publish/$1" project entry
  shift
  rm -rf "$out" "$root/artifacts/publish/$name.log"
  if [ $# -eq 1 ]; then
    publish_one "$name" "$1" "$out"
    # The image's entry point is /app/entrypoint, a link to the app's own executable, so one
    # Dockerfile serves every project whatever its assembly is called.
    entry=$(cd "$out" && ls -- *.runtimeconfig.json)
    entry=${entry%.runtimeconfig.json}
    [ -x "$out/$entry" ] || fail "$1 published no executable named $entry"
    ln -s "$entry" "$out/entrypoint"
    echo app
    return
  fi
  # Several programs in one folder: the same runtime and package versions (central package
  # management), so the files they share are the same files. Each one's appsettings.json would
  # overwrite the others': none is kept, and the programs take their settings from the command
  # line and the environment (Shoal__Server__..., Logging__LogLevel__Default).
  for project in "$@"; do
    entry=$(basename "$project")
    publish_one "$name" "$project" "$out"
    [ -x "$out/$entry" ] || fail "$project published no executable named $entry"
    ln -s "$entry" "$out/$(echo "${entry##*.}" | tr '[:upper:]' '[:lower:]')"
  done
  rm -f "$out/appsettings.json" "$out/appsettings.Development.json"
  echo programs
}

[ -n "$base" ] || base=$(base_image)
if [ "$base" = "$(base_image)" ]; then
  build_base "$base"
fi
if [ $base_only -eq 1 ]; then
  echo "$base"
  exit 0
fi

mkdir -p "$root/artifacts/publish"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
built=()
for entry in "${IMAGES[@]}"; do
  read -r name projects <<<"$entry"
  if [ ${#only[@]} -gt 0 ] && ! printf '%s\n' "${only[@]}" | grep -qx "$name"; then
    continue
  fi
  started=$(date +%s.%N)
  # shellcheck disable=SC2086 # the projects are words
  stage=$(publish "$name" $projects)
  image="$prefix/$name:$tag"
  # The context is the repository, but only this app's publish folder is sent (the repository's
  # .dockerignore, for docker users, lets every app's folder through).
  printf '**\n!artifacts/publish/%s/\n' "$name" > "$work/$name.dockerignore"
  if ! podman build --quiet -f "$root/deploy/Dockerfile" --target "$stage" --ignorefile "$work/$name.dockerignore" \
      --build-arg "BASE=$base" --build-arg "APP=artifacts/publish/$name" \
      --label "org.opencontainers.image.title=$name" -t "$image" "$root" >/dev/null; then
    fail "podman build of $image failed"
  fi
  built+=("$image $(image_size "$image") ($(elapsed "$started") s)")
done
printf '%s\n' "${built[@]}"
