#!/usr/bin/perl
# mkmmdb.pl OUT.mmdb [geoip2|flat|v4only] - a tiny MaxMind DB for the tests,
# built at test time with Debian's libmaxmind-db-writer-perl (so no binary
# fixture is kept in the repository). Documentation ranges only, hence
# remove_reserved_networks => 0: the writer drops them by default.
#
# geoip2 (the default; the GeoIP2 City layout, IPv6 tree):
#   198.51.0.0/16           FR, subdivision IDF, city "Zqxville" (a city
#                           must never reach a table)
#   198.51.100.0/24         DE, subdivision BE: inside the /16, so only an
#                           address masked to /24 or finer sees it
#   203.0.113.0/24          JP, no subdivision
#   192.0.2.0/24            registered_country NL only: country unknown
#   2001:db8::/32           CA, subdivision QC
#   2001:db8:dead:beef::/64 US, subdivision WA: only a /64 sees it
# flat: 198.51.0.0/16 and 2001:db8::/32 as { country_code => "IT" }.
# v4only: the geoip2 IPv4 networks in an IPv4 tree.
# bench: for tests/bench/bench.sh, a database shaped like a real one: every
#   IPv4 /16 from 1.0.0.0 to 223.255.0.0 and the /32s of loggen's IPv6
#   prefixes, each with one of 24 countries and a subdivision, in the
#   GeoIP2 City layout (about 57 000 networks).
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my ($out, $layout) = @ARGV;
$layout ||= 'geoip2';
die "usage: mkmmdb.pl OUT.mmdb [geoip2|flat|v4only|bench]\n" unless $out;

my %types = (
	country => 'map', registered_country => 'map', iso_code => 'utf8_string',
	subdivisions => [ 'array', 'map' ], city => 'map', names => 'map',
	en => 'utf8_string', country_code => 'utf8_string', location => 'map',
	latitude => 'double', longitude => 'double',
);
my $tree = MaxMind::DB::Writer::Tree->new(
	ip_version => $layout eq 'v4only' ? 4 : 6,
	record_size => 24,
	database_type => 'logfold-test',
	languages => ['en'],
	description => { en => 'logfold test fixture' },
	map_key_type_callback => sub { $types{ $_[0] } },
	remove_reserved_networks => 0,
);
sub geo {
	my ($cc, $sub, %more) = @_;
	my %r = (country => { iso_code => $cc }, %more);
	$r{subdivisions} = [ { iso_code => $sub } ] if defined $sub;
	return \%r;
}
if ($layout eq 'bench') {
	my @cc = qw(FR DE US GB IT ES NL BE CH AT PL SE NO DK FI PT IE CA BR JP IN AU CN ZA);
	my $k = 0;
	for my $a (1 .. 223) {
		for my $b (0 .. 255) {
			my $c = $cc[ $k++ % @cc ];
			$tree->insert_network("$a.$b.0.0/16", geo($c, sprintf('%02d', $k % 97)));
		}
	}
	for my $p (qw(2a02:810d 2003:e2 2600:1700 2a01:cb00 2001:4860 2804:14c 2409:4042)) {
		$tree->insert_network("$p\::/32", geo($cc[ $k++ % @cc ], 'AB'));
	}
} elsif ($layout eq 'flat') {
	$tree->insert_network('198.51.0.0/16', { country_code => 'IT' });
	$tree->insert_network('2001:db8::/32', { country_code => 'IT' });
} else {
	$tree->insert_network('198.51.0.0/16', geo('FR', 'IDF',
		city => { names => { en => 'Zqxville' } },
		location => { latitude => 48.85, longitude => 2.35 }));
	$tree->insert_network('198.51.100.0/24', geo('DE', 'BE'));
	$tree->insert_network('203.0.113.0/24', geo('JP'));
	$tree->insert_network('192.0.2.0/24', { registered_country => { iso_code => 'NL' } });
	if ($layout ne 'v4only') {
		$tree->insert_network('2001:db8::/32', geo('CA', 'QC'));
		$tree->insert_network('2001:db8:dead:beef::/64', geo('US', 'WA'));
	}
}
open(my $fh, '>:raw', $out) or die "cannot write '$out': $!\n";
$tree->write_tree($fh);
close($fh) or die "cannot write '$out': $!\n";
