# Sourced by the tests that start a classic Notebook server (browser-test.sh, hosted-image.sh).
#
#   wait_for_server PORT TOKEN PID LOG SECONDS
#
# Waits until the server on 127.0.0.1:PORT answers its API with TOKEN; returns 0 then. Returns 1, with the end of
# LOG on stderr, when process PID ends first or SECONDS pass.
wait_for_server() {
  local port=$1 token=$2 pid=$3 log=$4 seconds=$5 deadline
  deadline=$((SECONDS + seconds))
  while ((SECONDS < deadline)); do
    /usr/bin/python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/api?token=$token', timeout=2)" \
      2>/dev/null && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the notebook server did not start (it ended); the end of $log:" >&2; tail "$log" >&2; return 1
    fi
    sleep 0.25
  done
  echo "the notebook server did not answer on 127.0.0.1:$port within $seconds s; the end of $log:" >&2; tail "$log" >&2
  return 1
}
