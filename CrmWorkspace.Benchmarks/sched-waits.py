#!/usr/bin/env python3
"""What ran on the cores while the benchmark's server waited for one.

Reads a scheduler trace the live benchmark wrote (CRM_BENCH_PERF=file: perf record of sched_switch and sched_wakeup on every core,
CLOCK_MONOTONIC, over the own-page saves of the largest level) and the clicks' monotonic times the benchmark printed with its
slowest own-page samples:

    python3 CrmWorkspace.Benchmarks/sched-waits.py /tmp/bench/sched50.data 43430.4722:102 43441.7467:53.9

For each window (click time in seconds, then its length in ms) it prints who used the cores, and each wake-up of a server thread
that waited over 2 ms to run, with who ran meanwhile. The server is the process whose threads are named ".NET TP Worker"; a
process with any thread at priority 135 (nice 15) is one of the colleagues' pages.
"""
import collections
import re
import subprocess
import sys

LINE = re.compile(r'^\s*(.+?)\s+(\d+)/(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+(\S+):\s+(.*)$')
SWITCH = re.compile(r'prev_comm=(.*?) prev_pid=(\d+) prev_prio=(\d+) prev_state=(\S+) ==> next_comm=(.*?) next_pid=(\d+) next_prio=(\d+)')
WAKEUP = re.compile(r'comm=(.*?) pid=(\d+) prio=(\d+)')


def read(path):
    text = subprocess.run(['perf', 'script', '-i', path, '-F', 'comm,pid,tid,cpu,time,event,trace'], capture_output=True, text=True, check=True).stdout
    process, running, spans, woken, waits = {}, {}, [], {}, []
    for line in text.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        comm, pid, tid, cpu, t, event, trace = m.groups()
        pid, tid, cpu, t = int(pid), int(tid), int(cpu), float(t)
        process[tid] = pid
        if event.endswith('sched_switch') and (s := SWITCH.search(trace)):
            nxt, nxt_comm, nxt_prio = int(s.group(6)), s.group(5), int(s.group(7))
            if cpu in running:
                start, who, who_comm, prio = running[cpu]
                spans.append((start, t, who, who_comm, prio))
            running[cpu] = (t, nxt, nxt_comm, nxt_prio)
            if nxt in woken:
                waits.append((t, t - woken.pop(nxt), nxt, nxt_comm))
        elif event.endswith('sched_wakeup') and (w := WAKEUP.search(trace)):
            woken[int(w.group(2))] = t
    return process, spans, waits


def main():
    process, spans, waits = read(sys.argv[1])
    server = collections.Counter(process.get(tid, tid) for _, _, tid, comm, _ in spans if comm.startswith('.NET TP Worker')).most_common(1)[0][0]
    colleagues = {process.get(tid, tid) for _, _, tid, _, prio in spans if prio == 135}

    def who(tid, comm):
        pid = process.get(tid, tid)
        return 'idle' if tid == 0 else 'server' if pid == server else "colleagues' pages" if pid in colleagues else f'{comm} ({pid})'

    def used(a, b):
        total = collections.Counter()
        for start, end, tid, comm, _ in spans:
            if (overlap := min(end, b) - max(start, a)) > 0:
                total[who(tid, comm)] += overlap
        return ', '.join(f'{k} {v * 1000:.1f}' for k, v in total.most_common(6))

    for arg in sys.argv[2:]:
        at, ms = (float(x) for x in arg.split(':'))
        a, b = at, at + ms / 1000
        print(f'{at:.4f} +{ms:.1f} ms, core time used (ms): {used(a, b)}')
        for t, waited, tid, comm in waits:
            if a <= t <= b and waited > 0.002 and process.get(tid) == server:
                print(f'  +{(t - a) * 1000:.1f} ms {comm} had waited {waited * 1000:.1f} ms; meanwhile: {used(t - waited, t)}')


if __name__ == '__main__':
    main()
