"""The names of HTML's elements, current and obsolete ones that browsers still render (WHATWG
HTML, the index of elements and the obsolete features section).

Any other name (`<h7>`, `<samp-x>`, `<custom-tag>`, `<o:p>`) is an unknown element, which a
browser shows as its content, inline. The converter must not read meaning into such a name:
markdownify takes `h7` for a heading and `list` for a list, and calls any method named after a tag.
"""

HTML_ELEMENTS = frozenset("""
a abbr acronym address area article aside audio b base basefont bdi bdo bgsound big blink
blockquote body br button canvas caption center cite code col colgroup data datalist dd del
details dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form frame
frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe image img input ins isindex kbd
keygen label legend li link listing main map mark marquee menu menuitem meta meter multicol nav
nextid nobr noembed noframes noscript object ol optgroup option output p param picture plaintext
pre progress q rb rp rt rtc ruby s samp script search section select slot small source spacer
span strike strong style sub summary sup table tbody td template textarea tfoot th thead time
title tr track tt u ul var video wbr xmp
""".split())
