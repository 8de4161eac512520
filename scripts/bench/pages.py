"""The dashboard and journey pages under concurrent readers.

Usage: python3 scripts/bench/pages.py BASE [CLIENTS] [ROUNDS]
against `motesplats serve --database DEMO.db` of a demo world (release build), for
instance `motesplats demo --people 1000000 --database DEMO.db`. Signs in once as the
demo user (the sign-in form limits attempts per address); then each of CLIENTS threads
(default 20) loads each page ROUNDS times (default 25) in turn with that session;
prints one JSON line per page with the median and p99 in milliseconds, and the time of
the first load (which may place the journeys). Standard library only.
"""
import http.cookiejar, json, re, statistics, sys, threading, time, urllib.parse, urllib.request

base = sys.argv[1]
clients = int(sys.argv[2]) if len(sys.argv) > 2 else 20
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 25
PAGES = [
    "/dashboard",
    "/dashboard?from=2026-11-01&to=2026-11-30",
    "/journeys",
    "/journeys?channel=forum",
]


session = http.cookiejar.CookieJar()


def opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(session))


me = opener()
page = me.open(base + "/sign-in").read().decode()
token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
form = {"email": "demo@cafe.example", "password": "motesplats-demo", "_csrf": token}
me.open(base + "/sign-in", urllib.parse.urlencode(form).encode()).read()
first = {}
for path in PAGES:
    t0 = time.perf_counter()
    me.open(base + path).read()
    first[path] = round((time.perf_counter() - t0) * 1000, 1)

times = {p: [] for p in PAGES}
lock = threading.Lock()


def read(_):
    o = opener()
    for _ in range(rounds):
        for path in times:
            t0 = time.perf_counter()
            o.open(base + path).read()
            took = (time.perf_counter() - t0) * 1000
            with lock:
                times[path].append(took)


threads = [threading.Thread(target=read, args=(i,)) for i in range(clients)]
started = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
wall = time.perf_counter() - started
for path, ts in times.items():
    ts.sort()
    print(json.dumps({
        "page": path, "clients": clients, "loads": len(ts), "first_ms": first[path],
        "median_ms": round(statistics.median(ts), 1),
        "p99_ms": round(ts[min(len(ts) - 1, int(len(ts) * 0.99))], 1),
    }))
print(json.dumps({"loads_per_second": round(sum(len(t) for t in times.values()) / wall, 1)}))
