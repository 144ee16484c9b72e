# gen.awk -v seed=S -v nvis=N - the log shape of tests/check-shard.sh: N
# visitors (address and agent), each with 1 to 4 visits on any of 5 days of
# May 2024, pageviews of 6 common and 40 rare pages, referrers (some rare),
# beacon load (client load time, screen class), click and leave events, and
# a robot now and then. Lines "SECONDS rest" (seconds since 2024-04-30
# 00:00 UTC), unsorted: fmt.awk makes them combined lines once sorted.
# Deterministic: its own LCG (exact in a double), no rand().
function rnd(n) { state = (state * 69069 + 1) % 4294967296; return int(state / 65536) % n }
BEGIN {
	state = seed
	split("https://www.google.com/ https://duckduckgo.com/ https://news.ycombinator.com/item https://example.org/ - - https://rare1.example.net/ https://rare2.example.net/x https://www.bing.com/ https://t.co/abc https://lobste.rs/ https://rare3.example.com/", refs, " ")
	split("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0|Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36|Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1|Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15", uas, "|")
	split("lg md sm", scr, " ")
	n = 0
	for (v = 0; v < nvis; v++) {
		ip = sprintf("198.51.%d.%d", int(v / 200), v % 200 + 1)
		ua = uas[1 + v % 4]
		visits = 1 + rnd(4)
		for (k = 0; k < visits; k++) {
			day = 1 + rnd(5)
			t = day * 86400 + rnd(86000)
			ref = refs[1 + rnd(12)]
			npv = 1 + rnd(4)
			for (p = 0; p < npv; p++) {
				page = (rnd(3) == 0) ? sprintf("/rare/%d", rnd(40)) : sprintf("/p%d", rnd(6))
				line[n++] = t " " ip " \"GET " page " HTTP/1.1\" 200 900 \"" ref "\" \"" ua "\""
				ref = "https://example.org/"
				if (rnd(2) == 0) {
					q = sprintf("/logfold.gif?p=%s&e=load&w=%s&tb=40&dc=300&ld=%d", page, scr[1 + rnd(3)], 50 + rnd(3000))
					line[n++] = (t + 1) " " ip " \"GET " q " HTTP/1.1\" 200 43 \"https://example.org" page "\" \"" ua "\""
					if (rnd(3) == 0) {
						q = sprintf("/logfold.gif?p=%s&e=click&lb=label%d", page, rnd(9))
						line[n++] = (t + 5) " " ip " \"GET " q " HTTP/1.1\" 200 43 \"https://example.org" page "\" \"" ua "\""
					}
					q = sprintf("/logfold.gif?p=%s&e=leave&en=%d&sc=%d", page, 5 + rnd(100), 25 * (1 + rnd(4)))
					line[n++] = (t + 40) " " ip " \"GET " q " HTTP/1.1\" 200 43 \"https://example.org" page "\" \"" ua "\""
				}
				t += 30 + rnd(300)
			}
		}
		if (v % 17 == 0)
			line[n++] = (86400 + rnd(5 * 86000)) " " ip " \"GET /p1 HTTP/1.1\" 200 900 \"-\" \"Googlebot/2.1 (+http://www.google.com/bot.html)\""
	}
	for (i = 0; i < n; i++) print line[i]
}
