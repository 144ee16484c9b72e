# fmt.awk - a line of gen.awk, "SECONDS ADDRESS rest", as a combined line
{
	s = $1; d = int(s / 86400); s -= d * 86400
	ts = sprintf("%02d/May/2024:%02d:%02d:%02d +0000", d, int(s / 3600), int(s % 3600 / 60), s % 60)
	ip = $2; $1 = ""; $2 = ""; sub(/^  /, "")
	print ip " - - [" ts "] " $0
}
