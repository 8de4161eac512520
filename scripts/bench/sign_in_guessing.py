"""Dashboard latency while clients guess passwords at the sign-in form.

Usage: python3 scripts/bench/sign_in_guessing.py BASE GUESSERS [spread]
against `motesplats serve --demo --trusted-proxy 127.0.0.1` (release build). Signs in as
the demo user, starts GUESSERS threads posting wrong passwords through the real form
(with `spread`, each attempt from a random X-Forwarded-For address, so the limit per
address never bites), and prints the dashboard's median and p90 over 40 loads.
Standard library only.
"""
import http.cookiejar, re, statistics, sys, threading, time, urllib.request, urllib.parse
base = sys.argv[1]; guessers = int(sys.argv[2]); spread = len(sys.argv) > 3
import random
def opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
def sign_in(o, email, password, ip=None):
    if ip: o.addheaders = [("X-Forwarded-For", ip)]
    page = o.open(base + "/sign-in").read().decode()
    token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"email": email, "password": password, "_csrf": token}).encode()
    try:
        return o.open(base + "/sign-in", data).status
    except urllib.error.HTTPError as e:
        return e.code
me = opener()
assert sign_in(me, "demo@cafe.example", "motesplats-demo", "203.0.113.1" if spread else None) == 200
stop = False; answers = {}
def guess(i):
    o = opener()
    while not stop:
        ip = f"198.51.{random.randrange(256)}.{random.randrange(256)}" if spread else None
        code = sign_in(o, f"demo{i}@cafe.example" if i % 2 else "demo@cafe.example", "wrong-password", ip)
        answers[code] = answers.get(code, 0) + 1
threads = [threading.Thread(target=guess, args=(i,)) for i in range(guessers)]
for t in threads: t.start()
time.sleep(2)
times = []
for _ in range(40):
    t0 = time.perf_counter(); me.open(base + "/dashboard").read(); times.append((time.perf_counter() - t0) * 1000)
stop = True
for t in threads: t.join()
print(f"guessers={guessers} spread={spread} dashboard median {statistics.median(times):.1f} ms, p90 {sorted(times)[35]:.1f} ms; sign-in answers {answers}")
