"""The page: the executed notebooks combined into one (combine), rendered to HTML by nbconvert
(html, page), every id made a link checked against its evidence (citations, evidence, backrefs)
and every sentence checked against the strength of its facts (trust); the one-page brief (brief);
and both printed to PDF by Chromium (pdf over pagesetup, chromium and pdffile; threads overlaps
the browser's start with the rendering).
"""
