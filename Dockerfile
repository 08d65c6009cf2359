# The production image: the wheel built from this checkout, installed with its
# dependencies into a slim Debian image, served by gunicorn as a non-root user.
#
#   docker build -t quote .          (or: podman build -t quote .)
#   docker run --env-file /etc/quote/quote.env -p 8000:8000 quote
#   docker run --env-file /etc/quote/quote.env --rm quote flask --app quote:create_app db upgrade
#
# Configuration and secrets come from the environment at run time, never from the
# image. See docs/deploy.md.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# -- build: the wheel ------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
COPY . .
# The same command as `make wheel` and tests/integration/package/test_wheel.py: it
# compiles the catalogues and bundles templates, static files, rate cards and
# migrations into the package.
RUN python -m pip wheel --no-cache-dir --no-deps --wheel-dir /dist .

# -- run: the wheel, its dependencies and WeasyPrint's libraries ------------------
FROM ${PYTHON_IMAGE}
# Pango (with HarfBuzz and fontconfig) lays out the PDF; HarfBuzz's subsetter keeps
# font embedding fast.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --create-home --home-dir /home/quote --shell /usr/sbin/nologin quote
COPY --from=build /dist/ /tmp/dist/
RUN python -m venv /opt/quote \
 && /opt/quote/bin/pip install --no-cache-dir "$(ls /tmp/dist/quote-*.whl)[redis]" \
 && rm -rf /tmp/dist
COPY deploy/gunicorn.conf.py /etc/quote/gunicorn.conf.py
ENV PATH=/opt/quote/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    QUOTE_INSTANCE_PATH=/srv/quote/instance
RUN install -d -o quote -g quote /srv/quote /srv/quote/instance
WORKDIR /srv/quote
USER quote
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]
# --worker-tmp-dir: the workers' heartbeat files on tmpfs, as gunicorn advises for containers
CMD ["gunicorn", "--config", "/etc/quote/gunicorn.conf.py", "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm"]
