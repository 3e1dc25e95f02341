#!/usr/bin/env python3
"""Times the officers' main pages as a signed-in officer (cookie + antiforgery login through the form), standard library only.

Usage: pages.py BASE_URL ADMIN_LOGIN_JSON DB_COPY [--runs N]
The database copy is read (read-only) to pick the heaviest subjects: the officer with most open follow-ups, the firm with
most visits, the programme with most open cases. The officer gets a fresh password through the admin API (the copy's
users have none we know). Prints a Markdown table: first (cold) request, median and max of N more, bytes.
"""
import argparse, http.cookiejar, json, re, secrets, sqlite3, statistics, sys, time, urllib.parse, urllib.request

LIMIT_S = 1.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base"); ap.add_argument("admin_login"); ap.add_argument("db")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    base = args.base.rstrip("/")

    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    loads = db.execute(
        "select AssigneeId, count(*) n from Tasks where Status = 'Open' and AssigneeId in (select Id from Users where Role = 'officer')"
        " group by AssigneeId order by n desc").fetchall()
    officer_id, open_tasks = loads[0]
    typical_id, typical_tasks = loads[len(loads) // 2]
    firm_id, visits = db.execute("select FirmId, count(*) n from Visits group by FirmId order by n desc limit 1").fetchone()
    program, cards = db.execute("select Program, count(*) n from Cases where IsOpen = 1 group by Program order by n desc limit 1").fetchone()
    term = db.execute("select substr(Name, 3, 2) from Firms where Name like '上海%' limit 1").fetchone()[0]
    firms = db.execute("select count(*) from Firms").fetchone()[0]
    db.close()

    # The last closed month (the report leadership reads); the service's "today" is the real date in Shanghai.
    shanghai = time.gmtime(time.time() + 8 * 3600)
    month = "%04d-%02d" % ((shanghai.tm_year, shanghai.tm_mon - 1) if shanghai.tm_mon > 1 else (shanghai.tm_year - 1, 12))

    token = json.load(post_json(f"{base}/api/auth/login", json.load(open(args.admin_login))))["accessToken"]
    auth = {"Authorization": f"Bearer {token}"}
    opener = sign_in(base, auth, officer_id)
    typical = sign_in(base, auth, typical_id)

    pages = [
        ("My day (median officer, %d open follow-ups)" % typical_tasks, "/", typical),
        ("My day (busiest officer, %d open follow-ups)" % open_tasks, "/", opener),
        ("Firm list, unfiltered (%d firms)" % firms, "/firms", opener),
        ("Firm list, searched “%s”" % term, "/firms?q=" + urllib.parse.quote(term), opener),
        ("Firm list, filtered hnte/preparing", "/firms?program=hnte&stage=preparing", opener),
        ("Firm detail (most visits: %d)" % visits, f"/firms/{firm_id}", opener),
        ("Pipeline board (%s, %d open cases)" % (program, cards), f"/pipelines?program={program}", opener),
        ("Targets", "/targets", opener),
        ("Monthly report %s, live (never frozen)" % month, f"/reports?month={month}", opener),
        ("Monthly report %s, frozen", f"/reports?month={month}", opener),
        ("Log a visit form", f"/visits/new?firmId={firm_id}", opener),
    ]
    print(f"| page | first (s) | median of {args.runs} (s) | max (s) | KiB |")
    print("|---|---:|---:|---:|---:|")
    slow = []
    for name, path, client in pages:
        if name.endswith(", frozen"):
            # What officers read in production: the month-end job froze the month at 00:05 on the 1st.
            request(f"{base}/api/reports/monthly/{month}/snapshots", data=json.dumps({"reason": "pages benchmark"}).encode(),
                    headers=auth | {"Content-Type": "application/json"})
            name = name % month
        times, size = [], 0
        for _ in range(args.runs + 1):
            started = time.perf_counter()
            with client.open(base + path) as response:
                body = response.read()
                if response.status != 200 or "/login" in response.geturl():
                    sys.exit(f"pages.py: {path} answered {response.status} at {response.geturl()}")
            times.append(time.perf_counter() - started)
            size = len(body)
        median = statistics.median(times[1:])
        if median > LIMIT_S:
            slow.append(name)
        print(f"| {name} | {times[0]:.3f} | {median:.3f} | {max(times[1:]):.3f} | {size / 1024:.0f} |")
    print()
    print(f"Over {LIMIT_S:.0f} s (median): {', '.join(slow) if slow else 'none'}")
    return 1 if slow else 0


def sign_in(base, auth, user_id):
    """Gives the user a fresh password through the admin API (on this copy only), then signs in through the form."""
    user = json.load(request(f"{base}/api/users/{user_id}", headers=auth))
    password = secrets.token_urlsafe(18)
    put = {k: user.get(k) for k in ("version", "userName", "displayName", "email", "role", "supervisorId")} | {"password": password}
    request(f"{base}/api/users/{user_id}", data=json.dumps(put).encode(), headers=auth | {"Content-Type": "application/json"}, method="PUT")
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    html = opener.open(f"{base}/login").read().decode()
    csrf = re.search(r'name="__RequestVerificationToken" type="hidden" value="([^"]+)"', html).group(1)
    form = urllib.parse.urlencode({"UserName": user["userName"], "Password": password, "__RequestVerificationToken": csrf}).encode()
    if "/login" in opener.open(f"{base}/login", data=form).geturl():
        sys.exit("pages.py: the cookie sign-in failed")
    return opener


def request(url, data=None, headers=None, method=None):
    return urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers or {}, method=method))


def post_json(url, body):
    return request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})


if __name__ == "__main__":
    sys.exit(main())
