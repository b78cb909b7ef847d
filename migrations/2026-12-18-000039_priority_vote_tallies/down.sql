DROP TABLE priority_voter_tallies;
DROP TABLE priority_vote_tallies;
