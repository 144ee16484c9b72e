#!/bin/bash
# check-browser.sh - the beacon end to end in a real browser.
#
# Debian's nginx serves testdata/site/ and beacon/logfold.js on 127.0.0.1
# (a free port), with the endpoint as in beacon/nginx.conf (empty_gif,
# no-store) and its own access log in the combined format (the beacon's
# query string is in $request). Debian's Chromium, headless, driven by
# playwright-core (installed by `make check` into build/browser/), visits
# the site as four visitors (tests/browser/visit.js). Then logfold reads
# nginx's log (K = 1, and again with the default K = 5) and
# tests/browser/expect.js checks every table against what the script did.
# Bounded: the browser part is killed after 120 s, nginx always stopped.
# Last line: "browser: N passed, N failed".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
W=$ROOT/build/browser-run
# nginx's log is dated now: today is the real one here, not the suite's
# 2024-12-01, whose clock makes lines after 2024-12-03 'future'
export LOGFOLD_TODAY=$(date -u +%F)
PW_MODULES=${PW_MODULES:-$ROOT/build/browser/node_modules}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}

blocked() {
	echo "browser: cannot run: $*"
	echo "browser: 0 passed, 1 failed"
	exit 1
}
[ -x "$LOGFOLD" ] || blocked "no executable '$LOGFOLD' (run make)"
command -v node >/dev/null 2>&1 || blocked "no node (make check installs nodejs)"
[ -x "$NGINX" ] || blocked "no nginx at '$NGINX' (make check installs nginx)"
[ -x "$CHROMIUM" ] || blocked "no chromium at '$CHROMIUM' (make check installs chromium)"
[ -f "$PW_MODULES/playwright-core/package.json" ] ||
	blocked "no playwright-core in '$PW_MODULES' (make check installs it with npm)"

rm -rf "$W"
mkdir -p "$W/tmp" "$W/out1" "$W/out5"
NGINX_PID=
stop_nginx() {
	if [ -n "$NGINX_PID" ]; then
		kill "$NGINX_PID" 2>/dev/null
		wait "$NGINX_PID" 2>/dev/null
		NGINX_PID=
	fi
}
trap stop_nginx EXIT

# port_open PORT: something listens on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A free port: a few random tries in 20000-59999.
start_nginx() {
	local try port user=
	[ "$(id -u)" = 0 ] && user="user root;" # workers must read the work tree
	for try in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 40000))
		port_open "$port" && continue
		cat >"$W/nginx.conf" <<CONF
$user
daemon off;
master_process on;
worker_processes 1;
pid $W/nginx.pid;
error_log $W/error.log;
events { worker_connections 64; }
http {
	types { text/html html; application/javascript js; image/gif gif; application/pdf pdf; }
	default_type application/octet-stream;
	access_log $W/access.log combined;
	client_body_temp_path $W/tmp/body;
	proxy_temp_path $W/tmp/proxy;
	fastcgi_temp_path $W/tmp/fastcgi;
	uwsgi_temp_path $W/tmp/uwsgi;
	scgi_temp_path $W/tmp/scgi;
	server {
		listen 127.0.0.1:$port;
		server_name localhost 127.0.0.1;
		root $ROOT/testdata/site;
		location = /logfold.gif {
			empty_gif;
			add_header Cache-Control "no-store" always;
		}
		location = /logfold.js { alias $ROOT/beacon/logfold.js; }
	}
}
CONF
		"$NGINX" -p "$W" -c "$W/nginx.conf" -e "$W/error.log" &
		NGINX_PID=$!
		for _ in $(seq 50); do
			port_open "$port" && { PORT=$port; return 0; }
			kill -0 "$NGINX_PID" 2>/dev/null || break
			sleep 0.1
		done
		stop_nginx
	done
	return 1
}
start_nginx || blocked "nginx did not start: $(tail -n 3 "$W/error.log" 2>/dev/null)"

if ! PW_MODULES=$PW_MODULES CHROMIUM=$CHROMIUM timeout 120 node "$ROOT/tests/browser/visit.js" \
	"http://127.0.0.1:$PORT" "$W/visits.json" >"$W/visit.log" 2>&1; then
	cat "$W/visit.log"
	blocked "the browser run failed (above)"
fi
stop_nginx # the log is complete once nginx has exited

"$LOGFOLD" -q -k 1 --csv "$W/out1" --db "$W/out1/logfold.db" "$W/access.log" ||
	blocked "logfold failed on nginx's log"
"$LOGFOLD" -q --csv "$W/out5" "$W/access.log" || blocked "logfold (K = 5) failed on nginx's log"
node "$ROOT/tests/browser/expect.js" "$W/visits.json" "$W/access.log" "$W/out1" "$W/out5"
