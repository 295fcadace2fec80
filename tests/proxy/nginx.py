"""The documented nginx configuration (docs/nginx-engage-cache.conf), made runnable on a free port by a non-daemon
nginx: used by the proxy tests and by bench/proxy_cache.py, so that both run exactly what the docs show."""

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_CONFIG = ROOT / "docs" / "nginx-engage-cache.conf"
NGINX = Path(os.environ.get("NGINX_PATH") or shutil.which("nginx") or "/usr/sbin/nginx")


def nginx_config(workdir: Path, nginx_port: int, upstream_port: int, *, extra_locations: str = "",
                 workers: int | str = 1) -> str:
    """The documented example, pointed at these ports and directories, inside a minimal nginx.conf.

    ``extra_locations`` go into the server block before ``location /`` (the benchmark's static file).
    """
    example = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    replacements = {
        "/var/cache/nginx/engage": str(workdir / "cache"),
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
        "listen 80;": f"listen 127.0.0.1:{nginx_port};",
    }
    for old, new in replacements.items():
        if old not in example:
            raise RuntimeError(f"{EXAMPLE_CONFIG.name} no longer has {old!r}: update {__name__} with it")
        example = example.replace(old, new)
    if extra_locations:
        example = example.replace("    location / {", f"{extra_locations}\n    location / {{", 1)
    temp = {name: workdir / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    user = "user root;\n" if os.geteuid() == 0 else ""  # else nginx's workers run as nobody, who cannot write here
    return (
        f"{user}daemon off;\nworker_processes {workers};\npid {workdir / 'nginx.pid'};\n"
        f"error_log {workdir / 'nginx-error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n  access_log off;\n"
        f"  client_body_temp_path {temp['client_body']};\n  proxy_temp_path {temp['proxy']};\n"
        f"  fastcgi_temp_path {temp['fastcgi']};\n  uwsgi_temp_path {temp['uwsgi']};\n"
        f"  scgi_temp_path {temp['scgi']};\n"
        f"{example}\n}}\n"
    )
