"""The API reference as data for a server-rendered page: the operations of the app's own
OpenAPI schema, grouped by tag, with their parameters, responses and examples. Replaces
Swagger UI, which would load its scripts from a CDN."""

from __future__ import annotations

import json

METHODS = ("get", "post", "put", "patch", "delete")


def _schema_text(schema: dict | None) -> str:
    if not schema:
        return ""
    if "anyOf" in schema:
        return " or ".join(_schema_text(s) for s in schema["anyOf"])
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    t = schema.get("type", "")
    if t == "array":
        return f"list of {_schema_text(schema.get('items'))}"
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    return str(t)


def _example(content: dict) -> str | None:
    for media in content.values():
        ex = media.get("example")
        if ex is None and media.get("examples"):
            ex = next(iter(media["examples"].values())).get("value")
        if ex is not None:
            return json.dumps(ex, indent=2, ensure_ascii=False)
    return None


def operations(spec: dict) -> list[dict]:
    """[{tag, operations: [{id, method, path, summary, description, parameters, body,
    responses, example}]}] in the schema's order."""
    groups: dict[str, list[dict]] = {}
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if not op:
                continue
            params = []
            for p in op.get("parameters", []):
                sch = p.get("schema", {})
                ex = p.get("example", sch.get("examples", [None])[0] if sch.get("examples") else None)
                params.append({"name": p["name"], "in": p["in"], "required": p.get("required", False),
                               "type": _schema_text(sch), "description": p.get("description")
                               or sch.get("description", ""),
                               "example": json.dumps(ex, ensure_ascii=False) if ex is not None else None})
            responses = [{"code": code, "description": r.get("description", ""),
                          "media": ", ".join(r.get("content", {}))}
                         for code, r in op.get("responses", {}).items()]
            ok = op.get("responses", {}).get("200", {})
            body = op.get("requestBody")
            tag = (op.get("tags") or ["other"])[0]
            groups.setdefault(tag, []).append({
                "id": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "parameters": params,
                "body": ", ".join(body.get("content", {})) if body else None,
                "responses": responses, "example": _example(ok.get("content", {}))})
    return [{"tag": t, "operations": ops} for t, ops in groups.items()]
