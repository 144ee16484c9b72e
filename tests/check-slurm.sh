#!/bin/bash
# check-slurm.sh - --shard on a real scheduler (issue 19.5): a single-node
# Slurm cluster started here, without systemd (munged, slurmctld, slurmd,
# with a slurm.conf generated in a temporary directory, free ports, as
# root), runs the 3 shards of a log set as a job array (`sbatch
# --array=0-2 --wait`); their merge must equal one run over the same files
# (the expected values: that run, made outside Slurm). The daemons are
# stopped on every exit (trap) and none is left running.
#
# Needs root and Debian's slurm-wlm and munge (Makefile's DEB_CHECK); when
# they are missing it says SKIP with the reason (and counts nothing).
# Prints "slurm: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
SUITE=slurm
. "$ROOT/tests/counts.sh"
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
export LOGFOLD_TODAY=2024-12-01 LC_ALL=C

skip() {
	echo "slurm: SKIP $*"
	echo "slurm: 0 passed, 0 failed"
	exit 0
}
[ "$(id -u)" = 0 ] || skip "not root: slurmd and munged are started as root here"
for b in munged slurmctld slurmd sbatch sinfo scontrol; do
	command -v "$b" >/dev/null 2>&1 || [ -x "/usr/sbin/$b" ] ||
		skip "'$b' is not installed (apt-get install slurm-wlm munge)"
done
PATH=$PATH:/usr/sbin

# the whole cluster lives here; a short path (unix sockets)
T=$(mktemp -d /tmp/lf-slurm.XXXXXX)
chmod 755 "$T"
PIDS=()
stop() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		# up to 10 s each for a clean exit, then KILL
		for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	PIDS=()
}
cleanup() {
	stop
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port: a TCP port nothing listens on
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 30000))
		ss -ltnH "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
	done
}
CTLD_PORT=$(free_port)
SLURMD_PORT=$(free_port)
while [ "$SLURMD_PORT" = "$CTLD_PORT" ]; do SLURMD_PORT=$(free_port); done
HOST=$(hostname -s)
CPUS=$(nproc)

# --- munge: a key of our own, its socket here --------------------------------
mkdir -p "$T/munge"
chmod 700 "$T/munge"
dd if=/dev/urandom of="$T/munge/key" bs=1024 count=1 status=none
chmod 400 "$T/munge/key"
munged --force --foreground --key-file="$T/munge/key" --socket="$T/munge/sock" \
	--pid-file="$T/munge/pid" --log-file="$T/munge/log" --seed-file="$T/munge/seed" \
	>"$T/munged.out" 2>&1 &
PIDS+=($!)

# --- slurm.conf ----------------------------------------------------------------
mkdir -p "$T/state" "$T/spool" "$T/out"
cat >"$T/slurm.conf" <<EOF
ClusterName=logfold
SlurmctldHost=$HOST
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$T/munge/sock
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$HOST CPUs=$CPUS State=UNKNOWN
PartitionName=test Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$T/slurm.conf

# munged up (its socket) before the slurm daemons
for _ in $(seq 1 100); do [ -S "$T/munge/sock" ] && break; sleep 0.1; done
check "munged starts" "$([ -S "$T/munge/sock" ] && echo up)" up
slurmctld -D -i -f "$T/slurm.conf" >"$T/slurmctld.out" 2>&1 &
PIDS+=($!)
slurmd -D -f "$T/slurm.conf" >"$T/slurmd.out" 2>&1 &
PIDS+=($!)
state=
for _ in $(seq 1 300); do
	state=$(sinfo -h -o %T 2>/dev/null | head -n 1)
	[ "$state" = idle ] && break
	sleep 0.2
done
check "the node is up (idle)" "$state" idle
if [ "$state" != idle ]; then
	tail -n 20 "$T"/slurmctld.log "$T"/slurmd.log "$T"/*.out 2>/dev/null
	echo "slurm: $pass passed, $fail failed"
	exit 1
fi

# --- the logs: tests/check-shard.sh's shape, over 3 files ---------------------
L=$T/logs
mkdir -p "$L"
awk -v seed=13 -v nvis=200 -f tests/shard/gen.awk | sort -n -s -k1,1 |
	awk -f tests/shard/fmt.awk >"$L/all.log"
(cd "$L" && split -n l/3 -d all.log access.log. && rm all.log && gzip access.log.01 &&
	zstd -q --rm access.log.02)
"$LOGFOLD" -q --db "$T/one.db" "$L"/access.log.*
check "one run" "$?" 0

# --- the job array ---------------------------------------------------------------
cat >"$T/shard.sh" <<EOF
#!/bin/sh
#SBATCH --job-name=logfold-shard
#SBATCH --cpus-per-task=1
export LOGFOLD_TODAY=$LOGFOLD_TODAY
exec "$LOGFOLD" -q --shard "\$SLURM_ARRAY_TASK_ID/3" --db "$T/out/shard-\$SLURM_ARRAY_TASK_ID.db" \\
	"$L"/access.log.*
EOF
chmod 755 "$T/shard.sh"
timeout 300 sbatch --wait --array=0-2 -o "$T/out/job-%a.out" -D "$T" "$T/shard.sh" >"$T/sbatch.out" 2>&1
check "sbatch --array=0-2 --wait" "$?:$(grep -c '^Submitted batch job' "$T/sbatch.out")" "0:1"
for i in 0 1 2; do
	check "task $i wrote shard $i/3" \
		"$(sqlite3 "$T/out/shard-$i.db" 'SELECT shard_index, shard_count FROM shard' 2>&1)" "$i|3"
done
"$LOGFOLD" merge -q "$T/all.db" "$T"/out/shard-*.db
check "merge" "$?" 0
for t in page_daily site_daily breakdown_daily site_breakdown_daily load_hourly engagement_daily \
	action_daily bots_daily days; do
	check "$t of the merge is the one run's" \
		"$(cmp -s <(sqlite3 "$T/one.db" "SELECT * FROM $t" | sort) \
			<(sqlite3 "$T/all.db" "SELECT * FROM $t" | sort) && echo same)" same
done

# --- nothing left running ----------------------------------------------------------
started=("${PIDS[@]}")
stop
left=
for p in "${started[@]}"; do
	kill -0 "$p" 2>/dev/null && left="$left $p"
done
check "the daemons stopped" "$left" ""
echo "slurm: $pass passed, $fail failed"
[ "$fail" = 0 ]
