"""The production recipe run on this machine, in a folder of its own: for the tests that
start gunicorn and nginx (tests/test_serving.py, tests/test_nginx.py) and the serving
benchmark (benchmarks/serve.py), so that all of them run the recipe itself.

    env = production_env(folder, database_url)      # the production settings' environment
    conf = local_conf(folder, port=8080, app_port=8000, static_root=..., media_root=...)
    subprocess.Popen(["nginx", "-c", conf, "-p", folder, "-g", "daemon off;"])
"""

import os
import textwrap
from pathlib import Path

RECIPE = Path(__file__).with_name("nginx.conf")


def production_env(folder, database_url, **settings):
    """The environment of the production settings (DEBUG off) with a throwaway key, files
    under ``folder``, one proxy in front, and ``settings`` on top."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "editorial.settings",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(Path(folder) / "media"),
        "STATIC_ROOT": str(Path(folder) / "static"),
        "SECRET_KEY": "local-production-run-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "0",
        "EDITORIAL_TRUSTED_PROXIES": "1",
        "GUNICORN_WORKERS": "2",
        **{name: str(value) for name, value in settings.items()},
    }
    env.pop("DEBUG", None)
    return env


def local_conf(folder, *, port, app_port, static_root, media_root, extra_locations=""):
    """Write ``folder``/nginx.conf and return its path. ``app_port`` is one node's port,
    or a list of several nodes' ports (the upstream gets a line for each).
    ``extra_locations`` is put in the recipe's server block (a benchmark's static file)."""
    folder = Path(folder)
    recipe = RECIPE.read_text()
    ports = app_port if isinstance(app_port, (list, tuple)) else [app_port]
    node = "server 127.0.0.1:8000 max_fails=1 fail_timeout=10s;"
    for old, new in {
        "listen 80;": f"listen 127.0.0.1:{port};",
        node: "\n    ".join(node.replace("8000", str(each)) for each in ports),
        "server_name news.example.com;": "server_name 127.0.0.1 localhost;",
        "/var/cache/nginx/editorial-media": str(folder / "nginx-media-cache"),
        "/var/cache/nginx/editorial ": str(folder / "nginx-cache") + " ",
        "/srv/editorial/staticfiles/": f"{static_root}/",
        "/srv/editorial/media/images/": f"{media_root}/images/",
    }.items():
        if old not in recipe:
            raise ValueError(f"deploy/nginx.conf no longer has {old!r}")
        recipe = recipe.replace(old, new)
    if extra_locations:
        recipe = recipe.replace("    location / {", extra_locations.rstrip() + "\n\n    location / {", 1)
    temp = folder / "nginx-temp"
    temp.mkdir(parents=True, exist_ok=True)
    # As root, nginx's workers would otherwise become "nobody", who cannot read a test's files.
    user = "user root root;" if os.geteuid() == 0 else ""
    conf = folder / "nginx.conf"
    conf.write_text(textwrap.dedent(f"""\
        {user}
        worker_processes 1;
        pid {folder}/nginx.pid;
        error_log {folder}/nginx-error.log warn;
        events {{ worker_connections 1024; }}
        http {{
            include /etc/nginx/mime.types;
            access_log off;
            client_body_temp_path {temp}/body;
            proxy_temp_path {temp}/proxy;
            fastcgi_temp_path {temp}/fastcgi;
            uwsgi_temp_path {temp}/uwsgi;
            scgi_temp_path {temp}/scgi;
        """) + textwrap.indent(recipe, "    ") + "}\n")
    return conf
