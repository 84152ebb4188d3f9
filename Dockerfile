# kcbot: the Discord bot in a small, non-root image, installed from hash-pinned locks.
#   docker build -t kcbot .
#   docker run -d --name kcbot --restart unless-stopped --env-file .env kcbot
# Configuration comes from the environment (--env-file); no secret is baked into the image.
# `docker run --rm kcbot kcbot check` validates the shipped knowledge base.
#
# The base image is pinned by digest (python:3.11.13-slim-bookworm: Python 3.11 like CI,
# which the locks are compiled for). To move it: `docker pull python:3.11-slim-bookworm`,
# then `docker inspect --format '{{index .RepoDigests 0}}' python:3.11-slim-bookworm`, and
# recompile the locks (requirements/README.md) if the Python version changes.
ARG PYTHON_IMAGE=python:3.11.13-slim-bookworm@sha256:86adf8dbadc3d6e82ee5dd2c74bec2e1c2467cdad47886280501df722372d2e1

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY requirements/runtime.lock requirements/build.lock ./requirements/
# Every dependency, and the build backend, from the locks with their hashes checked.
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --require-hashes -r requirements/runtime.lock \
 && /opt/venv/bin/pip install --require-hashes -r requirements/build.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
# `kcbot check` at build time: the installed package must carry its knowledge base and the
# prefecture outlines (bot/geo/data, vendored: no opencv-python or numpy in the image).
RUN /opt/venv/bin/pip install --no-deps --no-build-isolation . \
 && /opt/venv/bin/pip uninstall --yes setuptools \
 && cd / && /opt/venv/bin/kcbot check

FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH
RUN useradd --system --create-home --uid 10001 kcbot
COPY --from=build /opt/venv /opt/venv
# The knowledge base also lives at a fixed path, so an operator can mount an edited one
# over it (-v "$PWD/knowledge:/opt/kcbot/knowledge:ro") and apply it with /reload.
COPY knowledge /opt/kcbot/knowledge
ENV KNOWLEDGE_DIR=/opt/kcbot/knowledge
USER kcbot
# Not the source tree: the installed package finds its knowledge base itself. The engine
# cache goes to ~/.cache/kcbot (mount a volume there to keep it across containers).
WORKDIR /home/kcbot
# The question log (SQLite unless DATABASE_URL names a server) and the feedback secret live
# in DATA_DIR: mount a volume there to keep them. /healthz (METRICS_PORT, on 127.0.0.1 inside
# the container unless METRICS_HOST says otherwise) answers the health check.
RUN mkdir -m 700 -p /home/kcbot/data
ENV DATA_DIR=/home/kcbot/data \
    METRICS_PORT=8080
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["kcbot", "health"]
# The bot stops the same way on SIGINT and SIGTERM (the gateway closed first, up to 5 s for
# the answers under way, then the question log written out); SIGINT as for a terminal.
# `docker stop` waits 10 s before SIGKILL: docker-compose.yml gives the bots 20 s.
STOPSIGNAL SIGINT
# `run` rather than the bare command: without a token the container must fail loudly
# (exit 1, one line) instead of waiting on a console nobody is attached to.
CMD ["kcbot", "run"]
