# Shared by the bench/ scripts (sourced, not run): the packaged app, fresh ports, and a free-port helper.

JAR=target/qbo-sync-0.1.0-SNAPSHOT.jar

# Packages the app when the jar is missing or older than the sources it is built from.
ensure_jar() {
  if [ ! -f "$JAR" ] || [ -n "$(find src routes pom.xml -newer "$JAR" -print -quit)" ]; then
    echo "building $JAR ..." >&2
    mvn -q -B -DskipTests package >&2
  fi
}

# A TCP port nothing listens on right now (loopback only).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
