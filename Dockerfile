# kcbot: the Discord bot in a small, non-root image.
#   docker build -t kcbot .
#   docker run -d --name kcbot --restart unless-stopped --env-file .env kcbot
# Configuration comes from the environment (--env-file); no secret is baked into the image.
# `docker run --rm kcbot kcbot check` validates the shipped knowledge base.

FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN useradd --system --create-home --uid 10001 kcbot
COPY --from=build /wheels /wheels
RUN pip install /wheels/*.whl && rm -rf /wheels
# The knowledge base also lives at a fixed path, so an operator can mount an edited one
# over it (-v "$PWD/knowledge:/opt/kcbot/knowledge:ro") and apply it with /reload.
COPY knowledge /opt/kcbot/knowledge
ENV KNOWLEDGE_DIR=/opt/kcbot/knowledge
USER kcbot
# Not the source tree: the installed package finds its knowledge base itself.
WORKDIR /home/kcbot
# `run` rather than the bare command: without a token the container must fail loudly
# (exit 1, one line) instead of waiting on a console nobody is attached to.
CMD ["kcbot", "run"]
