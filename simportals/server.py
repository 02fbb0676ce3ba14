"""The proxy-shaped server: one aiohttp listener that answers for every simulated host.

Clients reach it as an HTTP proxy, so requests arrive in absolute form (`GET http://host/path HTTP/1.1`);
the Host header (or the absolute URL) picks the portal. Unknown hosts get 502 as from a real proxy.
`sim.control` is the control host: tests drive redesigns, revisions and resets through it.
"""
from __future__ import annotations

import asyncio
import functools
import zlib
import gzip
import hashlib
import json
import sys
import time
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import parse_qsl

from aiohttp import web

from .site import Resource
from .web import Web, build_web

CONTROL_HOST = "sim.control"
LOGGED_HEADERS = ["If-None-Match", "If-Modified-Since", "Cookie", "Referer", "Accept-Encoding", "Content-Type"]


def jsl_token(host: str) -> str:
    return hashlib.md5(f"jsl:{host}".encode()).hexdigest()


def ruishu_token(host: str) -> str:
    return hashlib.sha1(f"rs:{host}".encode()).hexdigest()[:24]


class SimServer:
    def __init__(self, web_: Web, log_path: str | None = None, latency: float = 0.0):
        self.latency = latency   # seconds added to every answer, like a real portal's round trip
        self.web = web_
        self.log_path = log_path
        self.log_file = open(log_path, "a", encoding="utf-8", buffering=1) if log_path else None
        self.hits: dict[str, int] = {}   # per URL, for the 503-then-200 page

    # ------------------------------------------------------------ logging
    def log(self, request: web.BaseRequest, host: str, status: int, nbytes: int, started: datetime) -> None:
        if not self.log_file:
            return
        rec = {"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
               "started": started.isoformat(timespec="milliseconds"), "method": request.method,
               "host": host, "path": request.rel_url.path_qs, "status": status,
               "user_agent": request.headers.get("User-Agent", ""), "bytes": nbytes,
               "headers": {h: request.headers[h] for h in LOGGED_HEADERS if h in request.headers}}
        self.log_file.write(json.dumps(rec, ensure_ascii=False) + "\n")

    # ------------------------------------------------------------ entry
    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        started = datetime.now(timezone.utc)
        if self.latency:
            await asyncio.sleep(self.latency)
        host = (request.url.host if request.url.is_absolute() and request.url.host else None) or request.host
        host = (host or "").split(":")[0].lower()
        if request.method == "CONNECT":
            resp = web.Response(status=502, text="https is not simulated")
        elif host == CONTROL_HOST:
            resp = await self.control(request)
        elif host not in self.web.by_host:
            resp = web.Response(status=502, text=f"502 Bad Gateway: cannot reach {host}",
                                content_type="text/html", charset="iso-8859-1")
        else:
            resp = await self.serve(request, host)
        resp.headers["Server"] = "nginx"  # never betray the simulation in headers
        n = len(resp.body) if isinstance(resp, web.Response) and resp.body is not None else 0
        self.log(request, host, resp.status, n, started)
        return resp

    async def serve(self, request: web.BaseRequest, host: str) -> web.StreamResponse:
        portal = self.web.by_host[host]
        path = request.rel_url.path
        qs = request.rel_url.query_string
        if path == "/robots.txt":
            return web.Response(text=portal.robots, content_type="text/plain", charset="utf-8")
        if path in portal.handlers:
            form = dict(await request.post()) if request.method == "POST" else {}
            res = portal.handlers[path](request.method, dict(request.rel_url.query), form, dict(request.cookies))
        else:
            res = (portal.routes.get(f"{path}?{qs}") if qs else None) or portal.routes.get(path)
            if res is None and path.endswith("/"):
                res = (portal.routes.get(path + "index.html") or portal.routes.get(path + "index.htm")
                       or portal.routes.get(path + "index.shtml"))
            if res is None and not path.endswith("/") and "." not in path.rsplit("/", 1)[-1] \
                    and (path + "/index.html") in portal.routes:
                return web.Response(status=301, headers={"Location": f"http://{host}{path}/"})
        if res is None:
            res = self.web.endless_page(host, path)
        if res is None:
            return web.Response(status=404, text="<html><body><h1>404 Not Found</h1></body></html>",
                                content_type="text/html", charset="iso-8859-1")
        if res.behaviour in ("jsl", "ruishu"):
            challenge = self.challenge(res.behaviour, host, request)
            if challenge is not None:
                return challenge
        if res.behaviour == "hang":          # a portal that accepts the request and never finishes answering
            await asyncio.sleep(HANG_S)
        if res.behaviour == "bomb":          # a few hundred KB on the wire, hundreds of MB once gunzipped
            bomb = await asyncio.get_running_loop().run_in_executor(None, gzip_bomb)
            return web.Response(body=bomb, headers={"Content-Type": "text/html; charset=utf-8",
                                                             "Content-Encoding": "gzip", "Server": "nginx"})
        if res.behaviour == "drip":
            return await self.drip(request, res)
        if res.behaviour == "truncated":
            return await self.truncated(request, res)
        if res.behaviour in ("redirect_self", "redirect_loop"):
            return self.redirect_loop(request, host, res.behaviour)
        if res.behaviour == "flaky":
            key = f"{host}{request.rel_url.path_qs}"
            self.hits[key] = self.hits.get(key, 0) + 1
            if self.hits[key] == 1:
                return web.Response(status=503, text="<html><body>503 Service Temporarily Unavailable</body></html>",
                                    content_type="text/html", headers={"Retry-After": "1"})
        return await self.respond(request, res)

    async def body_of(self, res: Resource) -> bytes:
        if res.body is None and res.make is not None:
            # Build a PDF/DOCX in a thread: one slow file must not stall every other site's answers.
            await asyncio.get_running_loop().run_in_executor(None, res.get_body)
        return res.get_body()

    async def respond(self, request: web.BaseRequest, res: Resource) -> web.Response:
        body = await self.body_of(res)
        headers = {"Content-Type": res.content_type, "Server": "nginx"}
        headers.update(res.headers)
        if res.status == 200 and res.last_modified is not None:
            etag = res.etag
            headers["ETag"] = etag
            headers["Last-Modified"] = format_datetime(res.last_modified, usegmt=True)
            inm = request.headers.get("If-None-Match")
            ims = request.headers.get("If-Modified-Since")
            if inm is not None:
                if etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*":
                    return web.Response(status=304, headers={"ETag": etag, "Last-Modified": headers["Last-Modified"]})
            elif ims:
                try:
                    if res.last_modified <= parsedate_to_datetime(ims):
                        return web.Response(status=304, headers={"ETag": etag,
                                                                 "Last-Modified": headers["Last-Modified"]})
                except (TypeError, ValueError):
                    pass
        if request.method == "HEAD":
            headers["Content-Length"] = str(len(body))
            return web.Response(status=res.status, headers=headers)
        if "gzip" in request.headers.get("Accept-Encoding", "") and len(body) > 512 \
                and not res.content_type.startswith(("application/pdf", "application/vnd", "application/msword", "image/")):
            body = gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        return web.Response(status=res.status, body=body, headers=headers)

    # ------------------------------------------------------------ hostile answers (Web.spoil)
    async def drip(self, request: web.BaseRequest, res: Resource) -> web.StreamResponse:
        """Headers at once, then the body DRIP_BYTES a second: hours for a page, until the client gives up."""
        body = await self.body_of(res)
        resp = web.StreamResponse(headers={"Content-Type": res.content_type, "Server": "nginx"})
        resp.content_length = len(body)
        await resp.prepare(request)
        try:
            for i in range(0, len(body), DRIP_BYTES):
                await resp.write(body[i:i + DRIP_BYTES])
                await asyncio.sleep(1)
        except ConnectionError:        # the client hung up, as a crawler with a timeout does
            pass
        return resp

    async def truncated(self, request: web.BaseRequest, res: Resource) -> web.StreamResponse:
        """Content-Length promises the whole body; half of it comes, then the connection closes."""
        body = await self.body_of(res)
        resp = web.StreamResponse(headers={"Content-Type": res.content_type, "Server": "nginx"})
        resp.content_length = len(body)
        await resp.prepare(request)
        await resp.write(body[:len(body) // 2])
        request.transport.close()      # aiohttp's own write_eof then meets a closed transport and stays quiet
        return resp

    def redirect_loop(self, request: web.BaseRequest, host: str, how: str) -> web.Response:
        """302 to the page itself ("redirect_self"), or A -> B -> A, B being A?loop=1 ("redirect_loop")."""
        path = request.rel_url.path
        target = f"{path}?loop=1" if how == "redirect_loop" and "loop" not in request.rel_url.query else path
        return web.Response(status=302, headers={"Location": f"http://{host}{target}"})

    # ------------------------------------------------------------ anti-bot
    def challenge(self, kind: str, host: str, request: web.BaseRequest) -> web.Response | None:
        cookies = request.cookies
        if kind == "jsl":
            token = jsl_token(host)
            if cookies.get("__jsl_clearance") == token:
                return None
            # 加速乐: the cookie value is only known after running the script.
            codes = ",".join(str(ord(c) ^ 7) for c in token)
            script = ("<script>var _0x=[" + codes + "];var _s='';for(var i=0;i<_0x.length;i++){_s+=String.fromCharCode(_0x[i]^7);}"
                      "document.cookie='__jsl_clearance='+_s+';max-age=3600;path=/';"
                      "location.href=location.pathname+location.search</script>")
            return web.Response(status=521, body=("<html><body>" + script + "</body></html>").encode(),
                                headers={"Content-Type": "text/html; charset=utf-8",
                                         "Set-Cookie": f"__jsluid_h={token[:32]}; max-age=31536000; path=/; HttpOnly"})
        token = ruishu_token(host)
        if cookies.get("FSSBBIl1UgzbN7N80T") == token:
            return None
        # 瑞数-like: meta r="m" and $_ts, a computed cookie, then a reload.
        digits = [int(c, 16) for c in token]
        script = ("$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=24858;$_ts.cd='qE2qrrAltpLlDsZmDGlbcqEqDGQFrr93';"
                  f"(function(){{var a=[{','.join(str((d * 37 + i) % 256) for i, d in enumerate(digits))}],h='0123456789abcdef',s='';"
                  "for(var i=0;i<a.length;i++){var v=(a[i]-i+256)%256;for(var d=0;d<16;d++){if((d*37)%256==v){s+=h.charAt(d);break;}}}"
                  "document.cookie='FSSBBIl1UgzbN7N80T='+s+';path=/';location.replace(location.href);})();")
        body = ('<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
                '<meta content="vpC816dOwf_iZoNcVAV1SFCuAp7NOqvTPOvAFKCHdansqflDp" r="m">'
                f'<script type="text/javascript" r="m">{script}</script></head><body></body></html>')
        return web.Response(status=412, body=body.encode(),
                            headers={"Content-Type": "text/html; charset=utf-8",
                                     "Set-Cookie": f"FSSBBIl1UgzbN7N80S={token[::-1]}; path=/; HttpOnly"})

    # ------------------------------------------------------------ control
    async def control(self, request: web.BaseRequest) -> web.Response:
        action = request.rel_url.path.strip("/")
        params = dict(request.rel_url.query)
        if request.method == "POST":
            params.update(dict(await request.post()))
        try:
            if action == "truth":
                return web.json_response(self.web.truth(), dumps=lambda o: json.dumps(o, ensure_ascii=False))
            if action == "portals":
                return web.json_response([p.info for p in self.web.portals])
            if action == "reset":
                self.web.reset()
                self.hits.clear()
                return web.json_response({"ok": True})
            if action == "redesign":
                return web.json_response({"ok": True, "changed": self.web.redesign(params["portal"])})
            if action == "spoil":
                if params.get("how") == "bomb":   # build it now, so the page itself answers at once
                    await asyncio.get_running_loop().run_in_executor(None, gzip_bomb)
                return web.json_response({"ok": True, **self.web.spoil(params["url"], params["how"])})
            if action == "revise":
                return web.json_response({"ok": True, **self.web.revise(params["url"], params.get("note"))})
        except KeyError as e:
            return web.json_response({"ok": False, "error": f"missing or unknown {e}"}, status=400)
        return web.json_response({"ok": False, "error": f"unknown action {action}"}, status=404)


HANG_S = 120
DRIP_BYTES = 4
BOMB_BYTES = 300 * 1024 * 1024


@functools.lru_cache(maxsize=1)
def gzip_bomb() -> bytes:
    """gzip of 300 MB of zeros, made chunk by chunk (never 300 MB in memory)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)        # 31: gzip container
    chunk = bytes(1024 * 1024)
    return b"".join(packer.compress(chunk) for _ in range(BOMB_BYTES // len(chunk))) + packer.flush()


async def run(port: int, seed: int, portals: list[str] | None, log_path: str | None, latency: float = 0.0) -> None:
    web_ = build_web(seed, portals)
    sim = SimServer(web_, log_path, latency)
    server = web.Server(sim.handle)
    runner = web.ServerRunner(server, handle_signals=True)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port, backlog=1024)
    await site.start()
    real_port = site._server.sockets[0].getsockname()[1]
    print(f"listening on 127.0.0.1:{real_port}", flush=True)
    sys.stdout.flush()
    try:
        while True:
            await asyncio.sleep(3600)
    finally:
        await runner.cleanup()


def main(port: int, seed: int, portals: list[str] | None, log_path: str | None, latency: float = 0.0) -> None:
    try:
        asyncio.run(run(port, seed, portals, log_path, latency))
    except (KeyboardInterrupt, web.GracefulExit):
        pass
