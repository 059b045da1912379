# LSTM Lab: the deployable image. Same pinned requirements and entry point as `make run`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so code changes reuse this layer (TensorFlow's CPU build on x86_64).
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

# The library, installed as a package like `make run` installs it (its requirements are in
# already); the build's leftovers go in the same layer.
COPY pyproject.toml ./
COPY lstm_core/ lstm_core/
RUN pip install --no-cache-dir --no-deps . && rm -rf build lstm_lab.egg-info

COPY app.py serve.py ./
COPY pages/ pages/
COPY ui/ ui/
COPY .streamlit/ .streamlit/

RUN useradd --create-home --uid 10001 lstmlab
USER 10001

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8501/_stcore/health', timeout=4)"]

ENTRYPOINT ["python", "serve.py", "--server.port", "8501", "--server.address", "0.0.0.0", "--server.headless", "true"]
