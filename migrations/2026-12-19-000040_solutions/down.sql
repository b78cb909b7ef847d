DROP TABLE solutions;
DROP TABLE challenges;
