// Cell-key perturbation of published counts of people (the method of the
// Australian Bureau of Statistics' TableBuilder, also used for the census
// tables of several European statistical offices), so that two reports
// compared cannot reveal exactly what one person changed between them.
//
//  - Every person has a record key: a number in [0, 2^32) from a keyed hash
//    of their id (the key is the server's secret), the same every night.
//  - A cell's key is the sum of its contributors' record keys, mod 2^32.
//    The same people in a cell always give the same cell key; one person
//    more or less gives an unrelated one.
//  - The published count is the true count plus a small perturbation read
//    from a fixed table with the cell key: -2, -1, 0, +1 or +2 with
//    probabilities 0.1, 0.2, 0.4, 0.2, 0.1 (mean 0). A count of 0 stays 0
//    (nobody is described by it) and a count of at least 1 stays at least 1.
// So the same contributors always give the same published count (comparing
// two nights shows nothing where nothing changed), and where one person
// joined or left, the published difference is 1 plus a difference of two
// independent perturbations: anything from -3 to +5, exactly 1 only about
// a quarter of the time.
#ifndef JOBMATCH_MATCHER_CELL_KEY_H_
#define JOBMATCH_MATCHER_CELL_KEY_H_

#include <cstdint>

namespace jobmatch::matcher {

// The perturbation for a cell with key `cell_key`: -2..+2 (see above).
int CellKeyPerturbation(uint32_t cell_key);

// The count published for a cell of `count` people with key `cell_key`.
uint64_t PerturbedCount(uint64_t count, uint32_t cell_key);

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_CELL_KEY_H_
