"""The offline check: what a page would load by itself, and which of it lies outside its folder."""

from __future__ import annotations

from course_utils.slides.audit import loaded_urls, outside_urls


def test_the_offline_check_finds_what_a_page_would_load_from_outside():
    page = """<html><head>
    <script src="assets/require.js"></script>
    <script src="https://cdn.example/reveal.js"></script>
    <link rel="stylesheet" href="//fonts.example/css">
    <style>@import url("https://fonts.example/a.css");
    .x { background: url(data:image/png;base64,AA) }
    .y { background: url('http://example.org/b.png') }</style>
    </head><body>
    <a href="https://example.org/read-more">a link is not loaded</a>
    <img src="data:image/png;base64,AAAA"><img src="../elsewhere.png">
    </body></html>"""
    assert outside_urls(page) == [
        "https://cdn.example/reveal.js",
        "//fonts.example/css",
        "https://fonts.example/a.css",
        "http://example.org/b.png",
        "../elsewhere.png",
    ]


def test_every_element_that_loads_is_read_and_links_are_not():
    page = """<iframe src="a.html"></iframe><audio src="b.ogg"></audio><video src="c.mp4">
    <source src="d.webm"><track src="e.vtt"></video><embed src="f.swf">
    <object data="g.svg"></object><link rel="icon" href="h.ico">
    <a href="not-loaded.html">x</a><form action="not-loaded-either"></form>
    <p style="color: red">url(in-text-not-a-style.png)</p>"""
    assert loaded_urls(page) == "a.html b.ogg c.mp4 d.webm e.vtt f.swf g.svg h.ico".split()


def test_local_files_and_anchors_are_inside():
    page = """<script src="assets/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"></script>
    <img src="#figure"><img src="sub/folder/x.png"><script src="./y.js"></script>"""
    assert outside_urls(page) == []
    assert outside_urls('<script src="/etc/x.js"></script><img src="file:///x.png">') == [
        "/etc/x.js",
        "file:///x.png",
    ]
