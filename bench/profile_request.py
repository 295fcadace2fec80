"""Where a request's time goes: times one address in-process, then profiles it with cProfile.

    .venv/bin/python bench/profile_request.py /consultations/1                 (after bench/run.py built its database)
    .venv/bin/python bench/profile_request.py /api/v1/consultations/2/comments --post

No server and no network: the test client calls the app directly, so the figures are the app's own cost per
request on one core, without gunicorn's.
"""

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--post", action="store_true", help="POST a new comment (JSON) to the path instead")
    parser.add_argument("--database", default=str(ROOT / "bench" / "results" / "bench.sqlite"))
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--lines", type=int, default=30, help="profile lines to show")
    args = parser.parse_args()

    from engage import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{args.database}", "SECRET_KEY": "profile",
                      "RATELIMIT_ENABLED": False})
    client = app.test_client()
    counter = iter(range(10**9))

    def one_request():
        if args.post:
            answer = client.post(args.path, json={"body": f"性能分析意见 {time.time()} {next(counter)}"})
        else:
            answer = client.get(args.path)
        assert answer.status_code < 400, answer.status_code

    for _ in range(10):
        one_request()
    started = time.perf_counter()
    for _ in range(args.requests):
        one_request()
    elapsed = time.perf_counter() - started
    print(f"{args.path}: {elapsed / args.requests * 1000:.2f} ms per request, one core, no server")

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.requests):
        one_request()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.lines)


if __name__ == "__main__":
    main()
