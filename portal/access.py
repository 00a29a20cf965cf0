"""Pages anyone may open without signing in (URL names, namespaced)."""

PUBLIC_URL_NAMES = {
    "guarantees:guarantees",
    "guarantees:complaint-start",
    "guarantees:complaint-question",
    "guarantees:complaint-check",
    "guarantees:complaint-sent",
    "guarantees:complaint-confirm",
    "guarantees:complaint-status",
}
