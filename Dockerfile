# Production image: one image for web, worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production
WORKDIR /app
COPY pyproject.toml ./
COPY portal ./portal
COPY schools ./schools
COPY deployments ./deployments
COPY guarantees ./guarantees
COPY web ./web
RUN pip install --no-cache-dir .
COPY . .
COPY --from=assets /app/node_modules ./node_modules
RUN SECRET_KEY=build-only BANK_DETAILS_KEYS=build-only BANK_DETAILS_HASH_KEY=build-only \
    PORTAL_BASE_URL=http://build-only.invalid \
    python manage.py collectstatic --noinput
RUN useradd --create-home portal && mkdir -p var && chown -R portal var
USER portal
EXPOSE 8000
CMD ["gunicorn", "web.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
