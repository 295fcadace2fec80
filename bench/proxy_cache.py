"""Public pages at the speed of a reverse proxy: nginx's cache in front of Engage, and 304s without it.

    .venv/bin/python bench/proxy_cache.py [--duration 10]

Builds a SQLite database (bench/dataset.py) and serves Engage with gunicorn (gunicorn.conf.py, as bench/run.py
does) behind Debian's nginx configured with docs/nginx-engage-cache.conf, plus one location serving a static
copy of the consultation page. In the same run it measures, with wrk:

1. nginx serving that static file, and the consultation page through nginx's cache, alternating over rounds
   (median round kept). Comments are posted through nginx during both (bench/submit.lua on the API, one
   connection), so the proxy refreshes a page that really changes. Target: the page at least 0.5 x the file.
2. Without the proxy, conditional GETs of the page (If-None-Match with its ETag) answered 304 by Engage, and the
   bare hello-world (bench/hello.py) under the same gunicorn settings. Target: at least 0.8 x hello-world.

Results go to the terminal and to bench/results/proxy_cache.json. Needs nginx and wrk (apt-get install).
"""

import argparse
import json
import math
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import SECRET, Server, ensure_wrk, machine, measure, wrk  # noqa: E402  (bench/ is on sys.path)

from tests.proxy.nginx import NGINX, nginx_config  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGETS = {"proxy_page_vs_static": 0.5, "not_modified_vs_hello": 0.8}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=1000, help="comments on the consultation")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of the file and the page")
    parser.add_argument("--port", type=int, default=8765, help="gunicorn's port; nginx takes the next one")
    parser.add_argument("--nginx-workers", default="auto", help="nginx worker_processes")
    return parser.parse_args()


class Nginx:
    """nginx in the foreground with the documented configuration, in a process group of its own."""

    def __init__(self, workdir: Path, port: int, upstream_port: int, static_file: Path, workers: str):
        self.url = f"http://127.0.0.1:{port}"
        (workdir / "cache").mkdir(parents=True, exist_ok=True)
        static = f"    location = /bench/static.html {{ alias {static_file}; default_type text/html; }}"
        self._config = workdir / "nginx.conf"
        self._config.write_text(nginx_config(workdir, port, upstream_port, extra_locations=static, workers=workers))
        self._workdir = workdir

    def __enter__(self):
        self._process = subprocess.Popen([str(NGINX), "-c", str(self._config), "-p", str(self._workdir)],
                                         start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/bench/static.html", timeout=2):
                    return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        sys.exit(f"nginx did not start: {(self._workdir / 'nginx-error.log').read_text(errors='replace')}")

    def __exit__(self, *exc):
        os.killpg(self._process.pid, signal.SIGTERM)
        self._process.wait(timeout=15)


def fetch(url: str, headers: dict | None = None):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as answer:
        return answer.status, dict(answer.headers), answer.read()


class Poster:
    """Comments posted through nginx for the whole of one measurement, on one connection (bench/submit.lua)."""

    def __init__(self, url: str, consultation_id: int, seconds: int):
        self._url, self._id, self._seconds = url, consultation_id, seconds

    def __enter__(self):
        stop_at = math.ceil(time.time()) + self._seconds
        env = os.environ | {"BENCH_POST_PATH": f"/api/v1/consultations/{self._id}/comments",
                            "BENCH_STOP_AT": str(stop_at), "BENCH_RUN_ID": uuid.uuid4().hex[:8],
                            "BENCH_RECEIPTS_FILE": str(RESULTS / "proxy_receipts.txt")}
        self._process = subprocess.Popen(
            ["wrk", "-t1", "-c1", f"-d{self._seconds + 2}s", "-s", str(ROOT / "bench" / "submit.lua"), self._url + "/"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return self

    def __exit__(self, *exc):
        output = self._process.communicate(timeout=60)[0]
        found = [line for line in output.splitlines() if line.startswith("BENCH ")]
        self.summary = found[0] if found else output.strip()[-200:]


def measure_while_posting(url: str, args, poster_url: str, consultation_id: int) -> dict:
    with Poster(poster_url, consultation_id, args.duration + 2) as poster:
        result = measure(url, args)
    result["posted"] = poster.summary
    print(f"            while posting: {poster.summary}", flush=True)
    return result


def median(runs: list[dict]) -> dict:
    return sorted(runs, key=lambda run: run["requests_per_s"])[len(runs) // 2]


def proxy_figures(args, env: dict, consultation_id: int) -> dict:
    results: dict = {}
    workdir = RESULTS / "nginx"
    with Server(["wsgi:app"], env, args.port, "/healthz") as engage:
        page_path = f"/consultations/{consultation_id}"
        _status, _headers, body = fetch(engage.url + page_path)
        static_file = workdir / "static.html"
        workdir.mkdir(parents=True, exist_ok=True)
        static_file.write_bytes(body)
        with Nginx(workdir, args.port + 1, args.port, static_file, args.nginx_workers) as nginx:
            _status, headers, _body = fetch(nginx.url + page_path)
            print(f"Through nginx ({len(body):,} bytes a page; first answer {headers.get('X-Cache-Status')}):",
                  flush=True)
            rounds: dict[str, list] = {"static": [], "proxy_page": []}
            for _ in range(args.rounds):
                rounds["static"].append(measure_while_posting(nginx.url + "/bench/static.html", args, nginx.url,
                                                              consultation_id))
                rounds["proxy_page"].append(measure_while_posting(nginx.url + page_path, args, nginx.url,
                                                                  consultation_id))
            results.update({key: median(runs) for key, runs in rounds.items()})
            results["page_bytes"] = len(body)
        print("Without the proxy: conditional GETs of the page", flush=True)
        _status, headers, _body = fetch(engage.url + page_path)
        etag = headers["ETag"]
        results["not_modified"] = measure_conditional(engage.url + page_path, etag, args)
    return results


def measure_conditional(url: str, etag: str, args) -> dict:
    """wrk with If-None-Match: every answer must be a 304 (wrk counts 3xx as fine, so check one by hand)."""
    request = urllib.request.Request(url, headers={"If-None-Match": etag})
    try:
        urllib.request.urlopen(request, timeout=10)
        sys.exit("the conditional GET was answered with a body, not 304")
    except urllib.error.HTTPError as answer:
        if answer.code != 304:
            raise
    wrk(url, args, duration=2, headers={"If-None-Match": etag})
    result = wrk(url, args, duration=args.duration, headers={"If-None-Match": etag})
    print(f"  {result['requests_per_s']:9.1f} req/s  p50 {result['p50_ms']:.1f} ms  p99 {result['p99_ms']:.1f} ms"
          f"  (304)  {url}", flush=True)
    return result


def report(results: dict) -> bool:
    page_vs_static = results["proxy_page"]["requests_per_s"] / results["static"]["requests_per_s"]
    not_modified_vs_hello = results["not_modified"]["requests_per_s"] / results["hello"]["requests_per_s"]
    rows = [("nginx: static file of the page's size", "static"), ("nginx: consultation page from its cache",
                                                                   "proxy_page"),
            ("gunicorn: bare Flask hello-world", "hello"), ("gunicorn: consultation page, conditional GET (304)",
                                                            "not_modified")]
    print("\n| Measurement | Requests/s | p50 ms | p99 ms |\n| --- | ---: | ---: | ---: |")
    for label, key in rows:
        figure = results[key]
        print(f"| {label} | {figure['requests_per_s']:,.0f} | {figure['p50_ms']} | {figure['p99_ms']} |")
    verdicts = [
        (f"page through nginx vs static file: {page_vs_static:.2f}x", page_vs_static >= TARGETS["proxy_page_vs_static"],
         f">= {TARGETS['proxy_page_vs_static']}x"),
        (f"304 vs hello-world: {not_modified_vs_hello:.2f}x", not_modified_vs_hello >= TARGETS["not_modified_vs_hello"],
         f">= {TARGETS['not_modified_vs_hello']}x"),
    ]
    print()
    for text, met, target in verdicts:
        print(f"{'MET   ' if met else 'MISSED'} {text} (target {target})")
    return all(met for _, met, _ in verdicts)


def main() -> int:
    args = parse_args()
    ensure_wrk()
    if not NGINX.exists():
        sys.exit("nginx is needed: apt-get install nginx")
    RESULTS.mkdir(parents=True, exist_ok=True)
    db_path = RESULTS / "proxy.sqlite"
    for stale in RESULTS.glob("proxy.sqlite*"):
        stale.unlink()
    database_url = f"sqlite:///{db_path}"

    import dataset

    from engage import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET})
    ids = dataset.build(app, big=args.comments, small=10)
    env = os.environ | {"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "RATELIMIT_ENABLED": "false",
                        "GUNICORN_ACCESSLOG": "", "TRUSTED_PROXIES": "1"}
    results = proxy_figures(args, env, ids["big"])
    print("Bare Flask hello-world (bench/hello.py):", flush=True)
    with Server(["--pythonpath", str(ROOT / "bench"), "hello:app"], env, args.port, "/") as server:
        results["hello"] = measure(server.url + "/", args)
    met = report(results)
    for figure in results.values():
        if isinstance(figure, dict):
            figure.pop("output", None)
    info = machine(args) | {"comments": args.comments, "nginx_workers": args.nginx_workers}
    (RESULTS / "proxy_cache.json").write_text(json.dumps({"machine": info, "results": results}, indent=2))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
