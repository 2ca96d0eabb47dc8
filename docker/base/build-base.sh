#!/usr/bin/env bash
# Builds the base image of qbo-sync's container images without a Docker daemon or a registry:
#
#   docker/base/build-base.sh OUT_DIR        writes OUT_DIR/qbo-base.tar (a `docker save` style tarball)
#
# Jib reads it as its base image (from.image = tar://OUT_DIR/qbo-base.tar). It is one layer:
#   /opt/java                      a jlink'ed Java 17 runtime made from the build JDK's jmods (list below)
#   /lib, /lib64, /usr/lib         the shared libraries that runtime needs, from Debian packages (apt-get download +
#                                  dpkg-deb -x): libc6, libgcc-s1, libstdc++6, zlib1g; docs and gconv modules dropped
#   /opt/java/lib/security/cacerts the build machine's CA certificates as a Java keystore (a real file: Debian's JDK
#                                  only has a symlink to /etc/ssl/certs/java/cacerts there)
#   /opt/qbosync/healthcheck       HealthCheck.class, the image's health-check command (there is no shell or curl)
#   /etc/passwd, /etc/group        root, nobody and qbosync (uid/gid 10001), the user the images run as
#   /etc/nsswitch.conf, /tmp (1777), /app (root), /app/data (owned by 10001: the volume for the data dir)
#   /etc/qbosync-base.txt          what went in: JDK, modules, Debian package versions
#
# Reproducible for the same JDK, packages and inputs: fixed mtimes (epoch), numeric owners, sorted entries, gzip -n.
# Cached: rebuilt only when this script, HealthCheck.java, the JDK or a package version changes (OUT_DIR/inputs.txt).
# Needs: a JDK 17 with jmods (Debian: openjdk-17-jdk-headless), GNU tar, gzip, sha256sum, apt-get and dpkg-deb.
# Runs as root or as a normal user (owners are set in the tar, not on disk).
set -euo pipefail

OUT="${1:?usage: build-base.sh OUT_DIR}"
HERE="$(cd "$(dirname "$0")" && pwd)"
NAME="${QBOSYNC_BASE_NAME:-qbo-base:17}"
UID_APP=10001
PACKAGES=(libc6 libgcc-s1 libstdc++6 zlib1g)
# What Spring Boot, Camel, Artemis (client and embedded broker), the PostgreSQL and H2 drivers, Hawtio/Jolokia,
# Micrometer and the sandbox's HTTP server use (jdeps over the product's libs, then trial), plus jcmd for thread
# dumps. No jdk.compiler, no jdk.localedata (the JVM runs in the C.UTF-8 locale: English data only).
MODULES=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.management.rmi
MODULES+=,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl
MODULES+=,java.sql,java.transaction.xa,java.xml,java.xml.crypto,jdk.attach,jdk.charsets,jdk.crypto.cryptoki
MODULES+=,jdk.crypto.ec,jdk.httpserver,jdk.jcmd,jdk.jfr,jdk.management,jdk.management.agent,jdk.management.jfr
MODULES+=,jdk.naming.dns,jdk.net,jdk.security.auth,jdk.security.jgss,jdk.unsupported,jdk.zipfs

log() { echo "[build-base] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac || command -v java)")")")}"
[[ -f "$JAVA_HOME/jmods/java.base.jmod" ]] || die "no jmods in $JAVA_HOME (Debian: apt-get install openjdk-17-jdk-headless)"
for tool in jlink javac; do [[ -x "$JAVA_HOME/bin/$tool" ]] || die "$JAVA_HOME/bin/$tool missing"; done
for tool in tar gzip sha256sum apt-get dpkg-deb dpkg-query; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is needed (a Debian machine: .ci/run)"
done

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
exec 9>"$OUT/.lock"
command -v flock >/dev/null 2>&1 && flock -w 900 9

# apt-cache policy names the version apt-get download will fetch; an update is needed only on a machine that never ran one.
candidate() { apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p'; }
if [[ -z "$(candidate libc6)" || "$(candidate libc6)" == "(none)" ]]; then
    [[ $EUID -eq 0 ]] || die "apt has no package lists; run apt-get update as root"
    log "apt-get update (no package lists yet)"
    apt-get update -q >&2
fi
inputs() {
    sha256sum "$HERE/build-base.sh" "$HERE/HealthCheck.java" | awk '{print $1}'
    "$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | grep -E '^ *java\.(runtime\.)?version ='
    echo "modules=$MODULES name=$NAME"
    for p in "${PACKAGES[@]}"; do echo "$p=$(candidate "$p")"; done
    [[ -f /etc/ssl/certs/java/cacerts ]] && sha256sum /etc/ssl/certs/java/cacerts | awk '{print "cacerts=" $1}'
}
WANT="$(inputs)"
if [[ -f "$OUT/qbo-base.tar" && -f "$OUT/inputs.txt" && "$(cat "$OUT/inputs.txt")" == "$WANT" ]]; then
    log "up to date: $OUT/qbo-base.tar"
    exit 0
fi

start=$(date +%s)
WORK="$OUT/work"
rm -rf "$WORK" "$OUT/qbo-base.tar" "$OUT/inputs.txt"
ROOT="$WORK/rootfs"
mkdir -p "$ROOT" "$WORK/debs" "$WORK/image"

log "jlink ($JAVA_HOME)"
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files --compress=2 \
    --output "$ROOT/opt/java"
# Native libraries of the desktop parts (AWT, fonts, sound, image codecs) are never loaded by a server and would
# need X11, freetype & co.; java.beans (java.desktop) works without them.
rm -f "$ROOT"/opt/java/lib/{libawt_xawt,libjawt,libsplashscreen,libjsound,libfontmanager,liblcms,libjavajpeg,libmlib_image,libawt,libawt_headless}.so

CACERTS="$(readlink -f "$JAVA_HOME/lib/security/cacerts")"
[[ -f /etc/ssl/certs/java/cacerts ]] && CACERTS=/etc/ssl/certs/java/cacerts
[[ -s "$CACERTS" ]] || die "no CA keystore at $CACERTS (Debian: ca-certificates-java)"
rm -f "$ROOT/opt/java/lib/security/cacerts"
cp "$CACERTS" "$ROOT/opt/java/lib/security/cacerts"

log "Debian packages: ${PACKAGES[*]}"
(cd "$WORK/debs" && apt-get download -q "${PACKAGES[@]}" >&2 2> >(grep -v 'unsandboxed' >&2))
for deb in "$WORK"/debs/*.deb; do dpkg-deb -x "$deb" "$ROOT"; done
rm -rf "$ROOT/usr/share" "$ROOT/usr/lib/x86_64-linux-gnu/gconv" "$ROOT/etc/ld.so.conf.d"

log "health-check helper, users, folders"
mkdir -p "$ROOT/opt/qbosync/healthcheck"
"$JAVA_HOME/bin/javac" --release 17 -d "$ROOT/opt/qbosync/healthcheck" "$HERE/HealthCheck.java"
mkdir -p "$ROOT/etc" "$ROOT/tmp" "$ROOT/app/data" "$ROOT/root" "$ROOT/proc" "$ROOT/sys" "$ROOT/dev"
cat >"$ROOT/etc/passwd" <<EOF
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
qbosync:x:$UID_APP:$UID_APP:qbo-sync:/app:/sbin/nologin
EOF
cat >"$ROOT/etc/group" <<EOF
root:x:0:
nogroup:x:65534:
qbosync:x:$UID_APP:
EOF
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$ROOT/etc/nsswitch.conf"
{
    echo "qbo-sync base image, built by docker/base/build-base.sh"
    echo "$WANT"
    echo "java.release:"; cat "$ROOT/opt/java/release"
} >"$ROOT/etc/qbosync-base.txt"
chmod 1777 "$ROOT/tmp"
chmod 0700 "$ROOT/root"
chmod -R u+w,go-w "$ROOT/opt" "$ROOT/etc"

log "layer"
TAR_OPTS=(--format=posix --sort=name --mtime=@0 --numeric-owner --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime)
LAYER="$WORK/layer.tar"
# Everything root-owned, except /app/data: a second archive appended to the first (GNU tar cannot give one file
# another owner in the same run, and a normal user cannot chown to 10001).
(cd "$ROOT" && tar -cf "$LAYER" "${TAR_OPTS[@]}" --owner=0 --group=0 --exclude=./app/data .)
(cd "$ROOT" && tar -cf "$WORK/data.tar" "${TAR_OPTS[@]}" --owner=$UID_APP --group=$UID_APP --no-recursion ./app/data)
tar -A -f "$LAYER" "$WORK/data.tar"
DIFF_ID="$(sha256sum "$LAYER" | awk '{print $1}')"
gzip -n -6 -c "$LAYER" >"$WORK/image/layer.tar.gz"
BLOB="$(sha256sum "$WORK/image/layer.tar.gz" | awk '{print $1}')"
mv "$WORK/image/layer.tar.gz" "$WORK/image/$BLOB.tar.gz"

JAVA_VERSION="$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$ROOT/opt/java/release")"
cat >"$WORK/image/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"User":"$UID_APP:$UID_APP","WorkingDir":"/app",
  "Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],
  "Labels":{"io.qbosync.base.java":"$JAVA_VERSION","io.qbosync.base.builder":"docker/base/build-base.sh"}},
 "rootfs":{"type":"layers","diff_ids":["sha256:$DIFF_ID"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"docker/base/build-base.sh: jlink Java $JAVA_VERSION, Debian ${PACKAGES[*]}"}]}
EOF
CONFIG="$(sha256sum "$WORK/image/config.json" | awk '{print $1}')"
mv "$WORK/image/config.json" "$WORK/image/$CONFIG.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s.tar.gz"]}]\n' "$CONFIG" "$NAME" "$BLOB" >"$WORK/image/manifest.json"
(cd "$WORK/image" && tar -cf "$OUT/qbo-base.tar.part" "${TAR_OPTS[@]}" --owner=0 --group=0 manifest.json "$CONFIG.json" "$BLOB.tar.gz")
mv "$OUT/qbo-base.tar.part" "$OUT/qbo-base.tar"
echo "$WANT" >"$OUT/inputs.txt"
# The rootfs stays for docker/smoke-rootfs.sh-style checks; the rest is scratch.
rm -rf "$WORK/debs" "$WORK/image" "$WORK/data.tar" "$LAYER"
log "wrote $OUT/qbo-base.tar ($(du -h "$OUT/qbo-base.tar" | cut -f1), layer sha256:$DIFF_ID) in $(($(date +%s) - start)) s"
