"""A bare Flask hello-world: the benchmark's yardstick, served by gunicorn with Engage's own settings."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
