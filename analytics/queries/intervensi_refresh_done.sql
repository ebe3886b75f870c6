drop view intervensi_matched;
drop table incoming_intervensi;
drop table intervensi_reach;
drop table intervensi_onlist;
